import Kernels
import MLP
import Testing

/// Delta-bar-delta (Jacobs 1988) against its formulas written plainly, and
/// against gradient descent on the problem it was made for.
@Suite("delta-bar-delta")
struct DeltaBarDeltaTests {
    /// Full-batch linear regression with features of scales 1 and 20: the
    /// squared error is a quadratic whose Hessian has condition number ≈ 400.
    static func illConditioned() -> (x: Matrix, t: Matrix) {
        var generator = Xoshiro256(seed: 8)
        let n = 200
        var x = Matrix.normal(rows: n, columns: 2, using: &generator)
        for i in 0..<n { x[i, 1] *= 20 }
        var t = Matrix(rows: n, columns: 1)
        for i in 0..<n { t[i, 0] = 3 * x[i, 0] - 0.25 * x[i, 1] }
        return (x, t)
    }

    /// Full-batch steps until the mean squared error falls below `target` (nil: not within `limit`).
    static func steps(_ optimizer: Optimizer, to target: Double, limit: Int = 5_000) throws -> Int? {
        let (x, t) = illConditioned()
        let network = try Network(layers: [try DenseLayer(weights: Matrix(rows: 2, columns: 1), bias: nil, units: .linear)])
        let trainer = try Trainer(network: network, loss: .meanSquaredError, optimizer: optimizer)
        for step in 1...limit {
            // A rate too large for the curvature diverges: the step throws.
            guard let loss = try? trainer.step(inputs: x, targets: t), loss.isFinite else { return nil }
            if try trainer.network.evaluate(x, targets: t, loss: .meanSquaredError).loss < target { return step }
        }
        return nil
    }

    @Test("reaches the loss in fewer steps than gradient descent at the best fixed rate of a grid")
    func fasterThanGradientDescent() throws {
        let target = 1e-3
        let grid: [Float] = [0.0003, 0.001, 0.002, 0.003, 0.004, 0.005, 0.01, 0.03]
        let descent = try grid.compactMap { rate in try Self.steps(.sgd(learningRate: rate), to: target).map { (rate, $0) } }
        let best = try #require(descent.min { $0.1 < $1.1 })
        let adaptive = try #require(try Self.steps(.deltaBarDelta(learningRate: 0.001, increment: 0.0005, decrement: 0.2, smoothing: 0.7), to: target))
        #expect(adaptive < best.1, "delta-bar-delta: \(adaptive) steps; gradient descent: \(best.1) at rate \(best.0)")
    }

    @Test("three steps follow the formulas: rates grow by κ on agreement, shrink by φ·r on disagreement; 11 parameters cover the vector tail")
    func formulas() throws {
        var generator = Xoshiro256(seed: 2)
        let x = Matrix.normal(rows: 5, columns: 11, using: &generator), t = Matrix.normal(rows: 5, columns: 1, using: &generator)
        let network = try Network(layers: [try DenseLayer(weights: Matrix.normal(rows: 11, columns: 1, using: &generator), bias: nil, units: .linear)])
        let (eta, kappa, phi, theta): (Float, Float, Float, Float) = (0.05, 0.01, 0.3, 0.6)
        let trainer = try Trainer(
            network: network, loss: .sumOfSquares, optimizer: .deltaBarDelta(learningRate: eta, increment: kappa, decrement: phi, smoothing: theta))
        var w = network.layers[0].weights.elements
        var offset = [Float](repeating: 0, count: 11), smoothed = offset
        for _ in 0..<3 {
            let probe = try Network(layers: [try DenseLayer(weights: Matrix(rows: 11, columns: 1, columnMajor: w), bias: nil, units: .linear)])
            let g = try Trainer(network: probe, loss: .sumOfSquares, optimizer: .sgd(learningRate: 0)).gradients(inputs: x, targets: t).layers[0].weights
                .elements
            for i in 0..<11 {
                var rate = eta + offset[i]
                if smoothed[i] * g[i] > 0 { rate = rate + kappa }
                if smoothed[i] * g[i] < 0 { rate = rate - phi * rate }
                offset[i] = rate - eta
                smoothed[i] = (1 - theta) * g[i] + theta * smoothed[i]
                w[i] = w[i] + (-rate * g[i])
            }
            try trainer.step(inputs: x, targets: t)
        }
        let computed = trainer.network.layers[0].weights.elements
        for i in 0..<11 { #expect(abs(computed[i] - w[i]) <= 1e-6 * max(1, abs(w[i])), "parameter \(i): \(computed[i]) vs \(w[i])") }
    }
}
