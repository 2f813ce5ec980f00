import Kernels
import MLP
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Autoencoders on the trainer, against PCA.
@Suite("Autoencoders")
struct AutoencoderTests {
    /// The largest principal angle, in degrees, between the column spaces of
    /// (d × m) `a` and `b`, in Double: with Qa, Qb orthonormal bases,
    /// sin θ_max is the largest singular value of R = Qb − Qa·(QaᵀQb), the
    /// part of b's space outside a's (found by power iteration on RᵀR).
    static func largestPrincipalAngle(_ a: Matrix, _ b: Matrix) -> Double {
        func orthonormal(_ x: Matrix) -> [[Double]] {
            var basis: [[Double]] = []
            for j in 0..<x.columns {
                var v = (0..<x.rows).map { Double(x[$0, j]) }
                for _ in 0..<2 {
                    for u in basis {
                        let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                        v = zip(v, u).map { $0 - dot * $1 }
                    }
                }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                basis.append(v.map { $0 / norm })
            }
            return basis
        }
        func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
        let qa = orthonormal(a), qb = orthonormal(b)
        let r = qb.map { v in qa.reduce(v) { residual, u in zip(residual, u).map { $0 - dot(u, v) * $1 } } }
        let m = r.count
        let rtr = (0..<m).map { i in (0..<m).map { j in dot(r[i], r[j]) } }
        var x = [Double](repeating: 1, count: m), largest = 0.0
        for _ in 0..<200 {
            let y = (0..<m).map { i in dot(rtr[i], x) }
            largest = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard largest > 0 else { return 0 }
            x = y.map { $0 / largest }
        }
        return asin(min(1, largest.squareRoot())) * 180 / Double.pi
    }

    @Test("a linear autoencoder with 3 code units spans PCA's top-3 subspace (largest principal angle below 1°)")
    func linearSpansPCA() throws {
        let x = PCATests.correlated(rows: 2000, columns: 20, strong: 3, seed: 7)
        let normalization = Normalization(fitting: x)
        let data = try normalization.apply(to: x)
        let pca = try PCA(fitting: data, components: 3)
        var autoencoder = try Autoencoder(inputs: 20, code: 3, activation: .linear, seed: 2)
        let trainer = try autoencoder.trainer(optimizer: .adam(learningRate: 0.01), seed: 3)
        try trainer.fit(autoencoder.dataset(data), options: TrainingOptions(epochs: 60, batchSize: 64, schedule: .cosine(epochs: 60)))
        autoencoder = try autoencoder.updated(from: trainer)
        // The decoder's span in feature space: the rows of its (3 × 20) weights.
        let decoder = Matrix(autoencoder.network.layers[1].weights.transposed())
        let angle = Self.largestPrincipalAngle(decoder, pca.components)
        #expect(angle < 1, "largest principal angle \(angle)°")
        // The measure itself: components 1–3 against 2–4 differ by a right angle.
        let five = try PCA(fitting: data, components: 5).components
        let shifted = Matrix(rows: 20, columns: 3, columnMajor: Array(five.elements[20..<80]))
        #expect(abs(Self.largestPrincipalAngle(pca.components, shifted) - 90) < 1e-3)
        // PCA's error is the least any 3-dimensional reconstruction reaches;
        // the autoencoder comes within 0.1% of the total variance of it.
        let error = try autoencoder.reconstructionError(data), best = try pca.reconstructionError(data)
        #expect(error >= best * 0.999 && error - best < 1e-3 * Double(pca.totalVariance), "autoencoder \(error), PCA \(best)")
    }

    @Test("tied weights: the decoder stays the encoder's transpose through training; the gradient is the sum of both uses")
    func tiedWeights() throws {
        let x = PCATests.correlated(rows: 300, columns: 8, strong: 2, seed: 9)
        let data = try Normalization(fitting: x).apply(to: x)
        var autoencoder = try Autoencoder(inputs: 8, code: 2, hidden: [5], activation: .activation(.tanh), tiedWeights: true, seed: 4)
        // Layers 8 → 5 → 2 → 5 → 8: layer 3 mirrors layer 0, layer 2 mirrors layer 1.
        func mirrored(_ network: Network) -> Bool {
            network.layers[3].weights == Matrix(network.layers[0].weights.transposed())
                && network.layers[2].weights == Matrix(network.layers[1].weights.transposed())
        }
        #expect(mirrored(autoencoder.network))
        let trainer = try autoencoder.trainer(optimizer: .adam(learningRate: 0.01))
        let before = try autoencoder.reconstructionError(data)
        let batch = Matrix(rows: 10, columns: 8, columnMajor: (0..<8).flatMap { j in (0..<10).map { data[$0, j] } })
        let g = try trainer.gradients(inputs: batch, targets: batch).layers
        let sgd = try Autoencoder(network: autoencoder.network, encoderLayerCount: 2, tiedWeights: true).trainer(optimizer: .sgd(learningRate: 0.1))
        try sgd.step(inputs: batch, targets: batch)
        let expected = autoencoder.network.layers[0].weights - 0.1 * (g[0].weights + Matrix(g[3].weights.transposed()))
        #expect(sgd.network.layers[0].weights.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-6))
        #expect(mirrored(sgd.network))
        try trainer.fit(autoencoder.dataset(data), options: TrainingOptions(epochs: 20, batchSize: 32))
        autoencoder = try autoencoder.updated(from: trainer)
        #expect(mirrored(autoencoder.network))
        #expect(try autoencoder.reconstructionError(data) < before / 2)
        #expect(throws: TrainingError.self) { try trainer.tieWeights(encoder: 0, decoder: 1) }
    }

    @Test("encode, decode and reconstruct compose; the model file marks an autoencoder")
    func parts() throws {
        let autoencoder = try Autoencoder(inputs: 6, code: 2, hidden: [4, 3], seed: 5)
        #expect(autoencoder.network.layers.map(\.outputs) == [4, 3, 2, 3, 4, 6] && autoencoder.codeSize == 2)
        var generator = Xoshiro256(seed: 1)
        let x = Matrix.normal(rows: 7, columns: 6, using: &generator)
        #expect(try autoencoder.decode(autoencoder.encode(x)).isApproximatelyEqual(to: autoencoder.reconstruct(x), absoluteTolerance: 1e-6))
        let file = ModelFile(network: autoencoder.network, metadata: autoencoder.metadata)
        #expect(Autoencoder(file) == autoencoder)
        #expect(Autoencoder(ModelFile(network: autoencoder.network)) == nil)
        #expect(throws: TrainingError.self) { try Autoencoder(inputs: 6, code: 0) }
        #expect(throws: TrainingError.self) { try Autoencoder(inputs: 6, code: 2, hidden: [4], decoderHidden: [5], tiedWeights: true) }
    }
}
