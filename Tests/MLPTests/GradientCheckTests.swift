import Kernels
import MLP
import Testing

/// Backpropagation against central differences in Double, for every hidden
/// unit type × loss × regularizer on small random networks.
///
/// Tolerance: |analytic − numeric| ≤ 2e-4 · max(1, |numeric|). The analytic
/// gradient is computed in Float (relative rounding ~1e-6 per operation over a
/// few dozen operations); the numeric one in Double with h = 1e-6, whose
/// truncation error (~h²) is negligible.
@Suite("Gradient check")
struct GradientCheckTests {
    static let hiddenUnits: [Units] = Activation.allCases.filter(\.isDifferentiable).map { .activation($0) } + [.maxout(pieces: 3)]
    static let regularizations: [(String, Regularization)] = [
        ("none", .none), ("l2", Regularization(l2: 0.1)), ("l1", Regularization(l1: 0.05)), ("elastic", .elasticNet(l1: 0.05, l2: 0.1)),
    ]

    struct Combination: CustomTestStringConvertible, Sendable {
        var hidden: Units, loss: Loss
        var testDescription: String { "\(hidden) × \(loss)" }
    }

    static let combinations: [Combination] = hiddenUnits.flatMap { hidden in Loss.allCases.map { Combination(hidden: hidden, loss: $0) } }

    /// The output units each loss is used with.
    static func outputUnits(for loss: Loss) -> Units {
        switch loss {
        case .softmaxCrossEntropy: return .softmax
        case .sigmoidCrossEntropy: return .activation(.sigmoid)
        case .meanSquaredError: return .activation(.tanh)
        case .sumOfSquares, .multiclassHinge: return .linear
        }
    }

    @Test("analytic gradients match finite differences", arguments: combinations)
    func check(_ c: Combination) throws {
        var g = Xoshiro256(seed: 42)
        let x = Matrix.uniform(rows: 6, columns: 4, in: -1...1, using: &g)
        var t = Matrix(rows: 6, columns: 3)
        for i in 0..<6 { t[i, i % 3] = 1 }
        if c.loss == .sigmoidCrossEntropy || c.loss == .meanSquaredError || c.loss == .sumOfSquares {
            t = Matrix.uniform(rows: 6, columns: 3, in: 0...1, using: &g)
        }
        let network = try Network(
            inputs: 4,
            layers: [LayerSpec(5, c.hidden, initialBias: 0.1), LayerSpec(4, c.hidden), LayerSpec(3, Self.outputUnits(for: c.loss))],
            seed: 7)
        for (name, regularization) in Self.regularizations {
            let result = try GradientCheck.run(network: network, loss: c.loss, regularization: regularization, inputs: x, targets: t)
            #expect(result.maxError <= 2e-4, "\(c.testDescription), \(name): \(result)")
            #expect(result.parameters == network.parameterCount)
        }
    }

    @Test(
        "every output unit type under a loss on its outputs",
        arguments: [Units.linear, .activation(.sigmoid), .activation(.tanh), .softmax, .maxout(pieces: 2), .activation(.softplus)])
    func outputUnits(_ units: Units) throws {
        var g = Xoshiro256(seed: 9)
        let x = Matrix.uniform(rows: 6, columns: 4, in: -1...1, using: &g)
        let t = Matrix.uniform(rows: 6, columns: 3, in: 0...1, using: &g)
        let network = try Network(inputs: 4, layers: [LayerSpec(5, .activation(.tanh)), LayerSpec(3, units)], seed: 5)
        for loss in [Loss.meanSquaredError, .sumOfSquares, .multiclassHinge] {
            let result = try GradientCheck.run(network: network, loss: loss, regularization: Regularization(l2: 0.01), inputs: x, targets: t)
            #expect(result.maxError <= 2e-4, "\(units) × \(loss): \(result)")
        }
    }

    @Test("closed form: a linear layer with MSE has ∂L/∂W = 2/(N·K)·Xᵀ(XW + b − T)")
    func closedForm() throws {
        var g = Xoshiro256(seed: 1)
        let x = Matrix.uniform(rows: 5, columns: 3, in: -1...1, using: &g)
        let t = Matrix.uniform(rows: 5, columns: 2, in: -1...1, using: &g)
        let network = try Network(inputs: 3, layers: [LayerSpec(2, .linear, initialBias: 0.5)], seed: 3)
        let layer = network.layers[0]
        let residual = (x * layer.weights).addingToEachRow(layer.bias!) - t
        let expected = Matrix(x.transposed()) * residual * (2 / 10)
        let gradients = try Trainer(network: network, loss: .meanSquaredError, optimizer: .sgd(learningRate: 0))
            .gradients(inputs: x, targets: t)
        #expect(gradients.layers[0].weights.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-6))
        #expect(gradients.layers[0].bias!.isApproximatelyEqual(to: residual.columnSums() * (2 / 10), absoluteTolerance: 1e-6))
    }
}
