import Kernels
import MLP
import MLPData
import Testing

/// The built-in digits (raw pixels 0–16): a nonlinear autoencoder with a 2-
/// and a 3-unit code against PCA with 2 and 3 components, on the test split.
@Suite("digits: autoencoder against PCA")
struct DigitsAutoencoderTests {
    static let train = BuiltinDigits.table(.train).features, test = BuiltinDigits.table(.test).features

    /// The test reconstruction errors of PCA and of the autoencoder with an `m`-unit code.
    static func errors(code m: Int) throws -> (pca: Double, autoencoder: Double) {
        let pca = try PCA(fitting: train, components: m)
        var autoencoder = try Autoencoder(inputs: 64, code: m, hidden: [128, 32], seed: 1)
        let trainer = try autoencoder.trainer(optimizer: .adam(learningRate: 0.003), seed: 2)
        try trainer.fit(autoencoder.dataset(train), options: TrainingOptions(epochs: 150, batchSize: 32, schedule: .cosine(epochs: 150)))
        autoencoder = try autoencoder.updated(from: trainer)
        return (try pca.reconstructionError(test), try autoencoder.reconstructionError(test))
    }

    @Test("with 2 and 3 code units the autoencoder's test reconstruction error is below PCA's", arguments: [2, 3])
    func beatsPCA(code: Int) throws {
        let (pca, autoencoder) = try Self.errors(code: code)
        #expect(autoencoder < pca, "code \(code): autoencoder \(autoencoder), PCA \(pca)")
    }
}
