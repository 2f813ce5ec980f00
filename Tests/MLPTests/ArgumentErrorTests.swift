import Foundation
import Kernels
import MLP
import Testing

/// The MLP module's rule: a public function whose arguments disagree throws
/// ``ArgumentError`` naming the function, the argument and both shapes — one
/// case per function (issue catalog: a wrong label count in
/// `Dataset(inputs:labels:classes:)`, a wrong width in `predict`).
@Suite("argument errors")
struct ArgumentErrorTests {
    static let network = try! Network(inputs: 4, layers: [LayerSpec(3, .activation(.relu)), LayerSpec(2, .softmax)], seed: 1)
    static let x = Matrix(rows: 5, columns: 3)

    /// Expects `body` to throw an ``ArgumentError`` that says `message`.
    static func expect(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error; expected \(message)", sourceLocation: sourceLocation)
        } catch let error as ArgumentError {
            #expect(error.description == message, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error) is not an ArgumentError; expected \(message)", sourceLocation: sourceLocation)
        }
    }

    @Test("datasets: labels and rows, classes, label range, subset indices, split fraction")
    func datasets() {
        Self.expect("Dataset: inputs (5 × 3) has 5 rows but labels has 4 labels") {
            _ = try Dataset(inputs: Self.x, labels: [0, 1, 0, 1], classes: 2)
        }
        Self.expect("Dataset: classes = 0 must be ≥ 1") { _ = try Dataset(inputs: Self.x, labels: [0, 0, 0, 0, 0], classes: 0) }
        Self.expect("Dataset: labels[3] = 2 is outside 0..<2") { _ = try Dataset(inputs: Self.x, labels: [0, 1, 0, 2, -1], classes: 2) }
        Self.expect("Dataset: inputs (5 × 3) and targets (4 × 2) need a row per sample each") {
            _ = try Dataset(inputs: Self.x, targets: Matrix(rows: 4, columns: 2))
        }
        let data = try! Dataset(inputs: Self.x, labels: [0, 1, 0, 1, 0], classes: 2)
        Self.expect("Dataset.subset: indices[1] = 5 is outside 0..<5") { _ = try data.subset([0, 5]) }
        Self.expect("Dataset.subset: indices[0] = -1 is outside 0..<5") { _ = try data.subset([-1]) }
        Self.expect("Dataset.split: validationFraction = 1.0 must be in [0, 1)") { _ = try data.split(validationFraction: 1, seed: 1) }
        Self.expect("Dataset.split: validationFraction = nan must be in [0, 1)") { _ = try data.split(validationFraction: .nan, seed: 1) }
        #expect((try? data.subset([4, 0]))?.inputs.rows == 2)
    }

    @Test("networks: layers that do not chain, softmax inside, no layers, widths below 1, a bias of the wrong shape")
    func networks() {
        let a = try! DenseLayer(weights: Matrix(rows: 4, columns: 3), bias: nil, units: .activation(.relu))
        let b = try! DenseLayer(weights: Matrix(rows: 2, columns: 2), bias: nil, units: .softmax)
        Self.expect("Network: layers[0] has 3 outputs but layers[1] takes 2 inputs") { _ = try Network(layers: [a, b]) }
        Self.expect("Network: layers is empty") { _ = try Network(layers: []) }
        let softmax = try! DenseLayer(weights: Matrix(rows: 4, columns: 4), bias: nil, units: .softmax)
        Self.expect("Network: layers[0] has softmax units; softmax is for the last layer only") { _ = try Network(layers: [softmax, softmax]) }
        Self.expect("Network: inputs = 0 must be ≥ 1") { _ = try Network(inputs: 0, layers: [LayerSpec(2)], seed: 1) }
        Self.expect("Network: layers[1] has 0 outputs; it needs at least 1") {
            _ = try Network(inputs: 2, layers: [LayerSpec(2), LayerSpec(0)], seed: 1)
        }
        Self.expect("Network: layers[0]: 4611686018427387904 maxout(4) units are more columns than Int can count") {
            _ = try Network(inputs: 2, layers: [LayerSpec(1 << 62, .maxout(pieces: 4))], seed: 1)
        }
        let memory = MemoryLimit.physicalBytes
        let overflowed = MemoryLimit.Exceeded(what: "the network's weights and biases", bytes: nil, available: memory)
        Self.expect("Network: \(overflowed)") { _ = try Network(inputs: 1 << 40, layers: [LayerSpec(1 << 40)], seed: 1) }
        Self.expect("Network: \(overflowed)") { _ = try Network(inputs: .max, layers: [LayerSpec(1)], seed: 1) }
        Self.expect("Network: layers[0] has softmax units; softmax is for the last layer only") {
            _ = try Network(inputs: 4, layers: [LayerSpec(4, .softmax), LayerSpec(2, .softmax)], seed: 1)
        }
        if memory > 0, memory < 1 << 42 {  // 2²⁰ × 2²⁰ weights and 2²⁰ biases: 4 TiB and 4 MiB
            let tooLarge = MemoryLimit.Exceeded(what: "the network's weights and biases", bytes: 4 * ((1 << 20) + 1) << 20, available: memory)
            Self.expect("Network: \(tooLarge)") { _ = try Network(inputs: 1 << 20, layers: [LayerSpec(1 << 20)], seed: 1) }
        }
        Self.expect("DenseLayer: bias is (2 × 3), the weights (4 × 3) need (1 × 3)") {
            _ = try DenseLayer(weights: Matrix(rows: 4, columns: 3), bias: Matrix(rows: 2, columns: 3), units: .linear)
        }
        Self.expect("DenseLayer: weights (4 × 5): 5 columns are not a whole number of maxout(2) units") {
            _ = try DenseLayer(weights: Matrix(rows: 4, columns: 5), bias: nil, units: .maxout(pieces: 2))
        }
        Self.expect("DenseLayer: weights (0 × 3) must have a row and a column") {
            _ = try DenseLayer(weights: Matrix(rows: 0, columns: 3), bias: nil, units: .linear)
        }
    }

    @Test("inference: predict, predictClasses, predict into a workspace and evaluate with the wrong width or targets")
    func inference() {
        let network = Self.network
        let width = "x is (5 × 3); the network takes 4 inputs, so x needs 4 columns"
        Self.expect("Network.predict: \(width)") { _ = try network.predict(Self.x) }
        Self.expect("Network.predictClasses: \(width)") { _ = try network.predictClasses(Self.x) }
        var output = Matrix(rows: 0, columns: 0)
        Self.expect("Network.predict: \(width)") { try network.predict(Self.x, into: &output, using: PredictionWorkspace()) }
        Self.expect("Network.evaluate: \(width)") {
            _ = try network.evaluate(Self.x, targets: Matrix(rows: 5, columns: 2), loss: .softmaxCrossEntropy)
        }
        Self.expect("Network.evaluate: targets are (5 × 3); x (5 × 4) and 2 outputs need (5 × 2)") {
            _ = try network.evaluate(Matrix(rows: 5, columns: 4), targets: Matrix(rows: 5, columns: 3), loss: .softmaxCrossEntropy)
        }
        #expect((try? network.predict(Matrix(rows: 5, columns: 4)))?.columns == 2)
        #expect((try? network.predict(Matrix(rows: 0, columns: 4)))?.rows == 0)
    }

    @Test("normalization, regression metrics, autoencoders, the perceptron and PCA's parts")
    func others() {
        Self.expect("Normalization: 3 means but 2 scales") { _ = try Normalization(mean: [0, 0, 0], scale: [1, 1]) }
        Self.expect("Normalization: 1 means but 2 scales") { _ = try Normalization(mean: [0], standardDeviation: [1, 1]) }
        let normalization = try! Normalization(mean: [0, 0], scale: [1, 1])
        Self.expect("Normalization.apply: x is (5 × 3); the statistics are for 2 features, so x needs 2 columns") {
            _ = try normalization.apply(to: Self.x)
        }
        Self.expect("RegressionMetrics: predicted is (5 × 3) but targets is (5 × 2)") {
            _ = try RegressionMetrics(predicted: Self.x, targets: Matrix(rows: 5, columns: 2))
        }
        let autoencoder = try! Autoencoder(inputs: 4, code: 2)
        Self.expect("Network.predict: x is (5 × 3); the network takes 4 inputs, so x needs 4 columns") { _ = try autoencoder.encode(Self.x) }
        Self.expect("Network.predict: x is (5 × 3); the network takes 2 inputs, so x needs 2 columns") { _ = try autoencoder.decode(Self.x) }
        Self.expect("Network.predict: x is (5 × 3); the network takes 4 inputs, so x needs 4 columns") {
            _ = try autoencoder.reconstructionError(Self.x)
        }
        #expect(throws: TrainingError.self) { try Autoencoder(network: Self.network, encoderLayerCount: 1) }
        Self.expect("Perceptron: inputs = 0 and outputs = 1 must be ≥ 1") { _ = try Perceptron(inputs: 0) }
        var perceptron = try! Perceptron(inputs: 2)
        Self.expect("Perceptron.train: inputs (5 × 3) and targets (5 × 1) must be (samples × 2) and (samples × 1)") {
            _ = try perceptron.train(inputs: Self.x, targets: Matrix(rows: 5, columns: 1))
        }
        Self.expect("PCA: components (3 × 2) need a row per feature; mean has 4 features") {
            _ = try PCA(
                mean: [0, 0, 0, 0], components: Matrix(rows: 3, columns: 2), explainedVariance: [1, 1], totalVariance: 2,
                sampleCount: 10, whitens: false, route: .covariance)
        }
        Self.expect("PCA: explainedVariance has 1 values for the 2 columns of components (3 × 2)") {
            _ = try PCA(
                mean: [0, 0, 0], components: Matrix(rows: 3, columns: 2), explainedVariance: [1], totalVariance: 2,
                sampleCount: 10, whitens: false, route: .covariance)
        }
        Self.expect("PCA.meanSquaredResidual: x is (5 × 3) but y is (5 × 2)") {
            _ = try PCA.meanSquaredResidual(Self.x, Matrix(rows: 5, columns: 2))
        }
    }

    @Test("writers refuse a normalization or data layout of another width before writing; a resumed generator of zeros is a named error")
    func files() throws {
        let path = ModelFileTests.temporaryPath("argument-errors.mlp")
        let file = ModelFile(network: Self.network, normalization: try Normalization(mean: [0, 0, 0], scale: [1, 1, 1]))
        Self.expect("ModelFile.write: normalization has 3 features but the network takes 4") { try file.write(to: path) }
        let layout = ModelFile(network: Self.network, dataLayout: .init(labelColumn: nil, featureCount: 5, classes: nil))
        Self.expect("ModelFile.write: dataLayout has 5 features but the network takes 4") { try layout.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let pca = try PCA(
            mean: [0, 0, 0], components: Matrix(rows: 3, columns: 1), explainedVariance: [1], totalVariance: 1, sampleCount: 4,
            whitens: false, route: .covariance)
        Self.expect("PCAFile.write: normalization has 2 features but the PCA has 3") {
            try PCAFile(pca: pca, normalization: Normalization(mean: [0, 0], scale: [1, 1])).write(to: path)
        }
        let trainer = try Trainer(network: Self.network, loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.1))
        var saved = trainer.modelFile()
        saved.training!.generator = [0, 0, 0, 0]
        #expect(throws: ModelFileError.corrupted(path: "model", detail: "the random generator's state is not four words, not all zero")) {
            try Trainer(resuming: saved)
        }
    }
}
