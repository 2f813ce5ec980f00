import Dispatch
import Kernels
import MLP
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// That no thread runs after `fit` or `predict` returns is checked by CI on
// `kernels-bench training`'s idle-cpu line: in a test process other tests
// use the processors meanwhile, so the measurement could not fail there.
/// The training core's contracts: one loss normalization everywhere,
/// gradients with respect to inputs and from an upstream gradient, threads
/// from parallel regions that give the same bits and never deadlock.
@Suite("Training core")
struct TrainingCoreTests {
    static func data(samples: Int, features: Int, outputs: Int, seed: UInt64) -> (Matrix, Matrix) {
        var g = Xoshiro256(seed: seed)
        let x = Matrix.uniform(rows: samples, columns: features, in: -1...1, using: &g)
        var t = Matrix(rows: samples, columns: outputs)
        for i in 0..<samples { t[i, i % outputs] = 1 }
        return (x, t)
    }

    /// The output units each loss needs.
    static func network(for loss: Loss, seed: UInt64) throws -> Network {
        let output: Units =
            switch loss {
            case .softmaxCrossEntropy: .softmax
            case .sigmoidCrossEntropy: .activation(.sigmoid)
            default: .activation(.tanh)
            }
        return try Network(inputs: 5, layers: [LayerSpec(7, .activation(.tanh)), LayerSpec(3, output)], seed: seed)
    }

    @Test("fit's epoch loss, step's return and evaluate agree for every loss whatever the batch size", arguments: Loss.allCases)
    func lossNormalization(_ loss: Loss) throws {
        let (x, t) = Self.data(samples: 64, features: 5, outputs: 3, seed: 1)
        let network = try Self.network(for: loss, seed: 2)
        let evaluated = try network.evaluate(x, targets: t, loss: loss).loss
        // A learning rate of 0 keeps the weights, so every batch sees the same network.
        for batch in [1, 7, 32, 64] {
            let trainer = try Trainer(network: network, loss: loss, optimizer: .sgd(learningRate: 0))
            let history = try trainer.fit(Dataset(inputs: x, targets: t), options: TrainingOptions(epochs: 1, batchSize: batch))
            let epochLoss = history.epochs[0].loss
            #expect(abs(epochLoss - evaluated) <= 1e-5 * max(1, abs(evaluated)), "\(loss), batch \(batch): fit \(epochLoss), evaluate \(evaluated)")
        }
        let first8 = Matrix(rows: 8, columns: 5, columnMajor: (0..<5).flatMap { j in (0..<8).map { x[$0, j] } })
        let targets8 = Matrix(rows: 8, columns: 3, columnMajor: (0..<3).flatMap { j in (0..<8).map { t[$0, j] } })
        let stepped = try Trainer(network: network, loss: loss, optimizer: .sgd(learningRate: 0)).step(inputs: first8, targets: targets8)
        let onBatch = try network.evaluate(first8, targets: targets8, loss: loss).loss
        #expect(abs(stepped - onBatch) <= 1e-5 * max(1, abs(onBatch)), "\(loss): step \(stepped), evaluate \(onBatch)")
    }

    /// A naive Double forward pass of a network of elementwise units, the
    /// oracle for the finite differences below.
    static func reference(_ network: Network, _ sample: [Double]) -> [Double] {
        var input = sample
        for layer in network.layers {
            let z = (0..<layer.weights.columns).map { j in
                (0..<layer.inputs).reduce(Double(layer.bias?[0, j] ?? 0)) { $0 + input[$1] * Double(layer.weights[$1, j]) }
            }
            switch layer.units {
            case .activation(.tanh): input = z.map { tanh($0) }
            case .activation(.sigmoid): input = z.map { 1 / (1 + exp(-$0)) }
            case .activation(.identity): input = z
            case .softmax:
                let top = z.max()!, e = z.map { exp($0 - top) }, sum = e.reduce(0, +)
                input = e.map { $0 / sum }
            default: preconditionFailure("not used here")
            }
        }
        return input
    }

    @Test("∂L/∂x matches central differences of the loss; the output gradient form matches them for Σ u ⊙ output")
    func inputGradients() throws {
        let (x, t) = Self.data(samples: 4, features: 5, outputs: 3, seed: 3)
        let network = try Network(inputs: 5, layers: [LayerSpec(6, .activation(.tanh)), LayerSpec(3, .softmax)], seed: 4)
        let gradients = try network.gradients(inputs: x, targets: t, loss: .softmaxCrossEntropy, withRespectToInputs: true)
        var g = Xoshiro256(seed: 5)
        let upstream = Matrix.uniform(rows: 4, columns: 3, in: -1...1, using: &g)
        let chained = try network.gradients(inputs: x, outputGradient: upstream, withRespectToInputs: true)
        let h = 1e-5
        for i in 0..<4 {
            for j in 0..<5 {
                let sample = (0..<5).map { Double(x[i, $0]) }
                var plus = sample, minus = sample
                plus[j] += h
                minus[j] -= h
                // Mean cross-entropy over the 4 samples: only sample i moves.
                let target = (0..<3).first { t[i, $0] == 1 }!
                let lossDifference = (-log(Self.reference(network, plus)[target]) + log(Self.reference(network, minus)[target])) / (2 * h) / 4
                #expect(abs(Double(gradients.inputs![i, j]) - lossDifference) < 1e-3, "loss, sample \(i), feature \(j)")
                let p = Self.reference(network, plus), m = Self.reference(network, minus)
                let chainDifference = (0..<3).reduce(0.0) { $0 + Double(upstream[i, $1]) * (p[$1] - m[$1]) } / (2 * h)
                #expect(abs(Double(chained.inputs![i, j]) - chainDifference) < 1e-3, "chain, sample \(i), feature \(j)")
            }
        }
        #expect(try network.gradients(inputs: x, targets: t, loss: .softmaxCrossEntropy).inputs == nil)
    }

    @Test("σ(w·x + b) differentiated through an output gradient of 1: ∂/∂w = σ′·x, ∂/∂b = σ′, ∂/∂x = σ′·w")
    func singleNeuron() throws {
        let w: [Float] = [0.5, -1.5], b: Float = 0.25, x: [Float] = [2, 1]
        let network = try Network(layers: [try DenseLayer(weights: Matrix([[w[0]], [w[1]]]), bias: Matrix([[b]]), units: .activation(.sigmoid))])
        let g = try network.gradients(inputs: Matrix([x]), outputGradient: Matrix([[1]]), withRespectToInputs: true)
        let z = Double(w[0] * x[0] + w[1] * x[1] + b), s = 1 / (1 + exp(-z)), derivative = s * (1 - s)
        for i in 0..<2 {
            #expect(abs(Double(g.layers[0].weights[i, 0]) - derivative * Double(x[i])) < 1e-6)
            #expect(abs(Double(g.inputs![0, i]) - derivative * Double(w[i])) < 1e-6)
        }
        #expect(abs(Double(g.layers[0].bias![0, 0]) - derivative) < 1e-6)
    }

    @Test("bitwise-identical weights for 1, 2, 3 and 8 threads through fit's region (Adam, maxout, dropout)")
    func determinismThroughRegions() throws {
        var g = Xoshiro256(seed: 7)
        let x = Matrix.uniform(rows: 512, columns: 300, in: -1...1, using: &g)
        let data = try Dataset(inputs: x, labels: (0..<512).map { x[$0, 0] > 0 ? 1 : 0 }, classes: 2)
        let network = try Network(inputs: 300, layers: [LayerSpec(400), LayerSpec(64, .maxout(pieces: 2)), LayerSpec(2, .softmax)], seed: 8)
        var results: [Network] = []
        for threads in [1, 2, 3, 8] {
            let trainer = try Trainer(
                network: network, loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 0.01),
                regularization: Regularization(dropout: 0.1), seed: 9)
            trainer.threads = threads
            try trainer.fit(data, options: TrainingOptions(epochs: 2, batchSize: 256))
            results.append(trainer.network)
        }
        #expect(results.allSatisfy { $0 == results[0] })
        #expect(results[0] != network)
    }

    @Test("fit, sgemm and predict inside a caller's concurrentPerform finish (no deadlock) and match the serial results")
    func nestedCalls() throws {
        let (x, t) = Self.data(samples: 128, features: 5, outputs: 3, seed: 11)
        let network = try Network(inputs: 5, layers: [LayerSpec(64), LayerSpec(3, .softmax)], seed: 12)
        @Sendable func train() throws -> Network {
            let trainer = try Trainer(network: network, loss: .softmaxCrossEntropy, optimizer: .adam(), seed: 1)
            try trainer.fit(Dataset(inputs: x, targets: t), options: TrainingOptions(epochs: 2, batchSize: 64))
            return trainer.network
        }
        let serial = try train()
        var g = Xoshiro256(seed: 13)
        let a = Matrix.uniform(rows: 300, columns: 200, in: -1...1, using: &g), b = Matrix.uniform(rows: 200, columns: 300, in: -1...1, using: &g)
        let product = a * b
        final class Matches: Sendable { let count = Atomic(0) }
        let matches = Matches()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if (try? train()) == serial && a * b == product && (try? network.predict(x)) == (try? network.predict(x, threads: 1)) {
                matches.count.add(1, ordering: .relaxed)
            }
        }
        #expect(matches.count.load(ordering: .relaxed) == 4)
    }

    @Test("8 threads predicting from one network, each with its own workspace, match the plain predict; a workspace is reusable for other batch sizes")
    func workspaces() throws {
        let network = try Network(inputs: 5, layers: [LayerSpec(32, .maxout(pieces: 3)), LayerSpec(16, .activation(.gelu)), LayerSpec(4, .softmax)], seed: 14)
        let (x, _) = Self.data(samples: 97, features: 5, outputs: 3, seed: 15)
        let expected = try network.predict(x, threads: 1)
        final class Matches: Sendable { let count = Atomic(0) }
        let matches = Matches()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let workspace = PredictionWorkspace()
            var output = Matrix(rows: 0, columns: 0)
            var ok = true
            for _ in 0..<3 {
                ok = ok && (try? network.predict(x, into: &output, using: workspace)) != nil && output == expected
            }
            // A single sample through the same, larger workspace: bitwise the
            // plain predict of that row; within rounding of the batch's row (one
            // row takes the GEMM's row path, whose sums run in another order).
            let one = Matrix(rows: 1, columns: 5, columnMajor: (0..<5).map { x[i, $0] })
            ok = ok && (try? network.predict(one, into: &output, using: workspace)) != nil
            ok = ok && output == (try? network.predict(one)) && (0..<4).allSatisfy { abs(output[0, $0] - expected[i, $0]) <= 1e-6 }
            if ok { matches.count.add(1, ordering: .relaxed) }
        }
        #expect(matches.count.load(ordering: .relaxed) == 8)
    }
}
