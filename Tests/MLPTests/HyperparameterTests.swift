import Kernels
import MLP
import Testing

/// Invalid hyper-parameters at the API are thrown errors naming the value,
/// one case per row (issue catalog: negative or non-finite learning rate,
/// zero batch, dropout ≥ 1; zero epochs stays valid, for warm starts).
@Suite("invalid hyper-parameters")
struct HyperparameterTests {
    static let network = try! Network(inputs: 3, layers: [LayerSpec(4, .activation(.relu)), LayerSpec(2, .softmax)], seed: 1)

    static let optimizers: [(Optimizer, String)] = [
        (.sgd(learningRate: -0.1), "sgd: learning rate = -0.1 must be finite and ≥ 0"),
        (.sgd(learningRate: .nan), "sgd: learning rate = nan must be finite and ≥ 0"),
        (.adam(learningRate: .infinity), "adam: learning rate = inf must be finite and ≥ 0"),
        (.momentum(learningRate: 0.1, momentum: 1), "momentum: momentum = 1.0 must be in [0, 1)"),
        (.adam(learningRate: 0.1, beta1: 0.9, beta2: 1.5, epsilon: 1e-8), "adam: beta2 = 1.5 must be in [0, 1)"),
        (.rmsProp(learningRate: 0.1, decay: 0.9, epsilon: 0), "rmsprop: epsilon = 0.0 must be finite and > 0"),
        (.adamW(learningRate: 0.1, weightDecay: -1), "adamw: weight decay = -1.0 must be finite and ≥ 0"),
        (.deltaBarDelta(learningRate: 0.1, increment: 0.01, decrement: 2, smoothing: 0.5), "delta-bar-delta: decrement = 2.0 must be in [0, 1]"),
    ]

    @Test("an optimizer parameter out of range", arguments: optimizers.indices)
    func optimizer(_ index: Int) {
        let (optimizer, message) = Self.optimizers[index]
        #expect(throws: TrainingError.invalidHyperparameter(message)) {
            try Trainer(network: Self.network, loss: .softmaxCrossEntropy, optimizer: optimizer)
        }
    }

    static let regularizations: [(Regularization, String)] = [
        (Regularization(dropout: 1), "dropout = 1.0 must be in [0, 1)"),
        (Regularization(dropout: -0.1), "dropout = -0.1 must be in [0, 1)"),
        (Regularization(l2: -1), "l2 = -1.0 must be finite and ≥ 0"),
        (Regularization(l1: .nan), "l1 = nan must be finite and ≥ 0"),
        (Regularization(maxNorm: 0), "maxNorm = 0.0 must be finite and > 0"),
    ]

    @Test("a regularization value out of range", arguments: regularizations.indices)
    func regularization(_ index: Int) {
        let (regularization, message) = Self.regularizations[index]
        #expect(throws: TrainingError.invalidHyperparameter(message)) {
            try Trainer(network: Self.network, loss: .softmaxCrossEntropy, optimizer: .adam(), regularization: regularization)
        }
    }

    @Test("training options: zero batch and a validation split of 1 are errors; zero epochs is a valid warm start")
    func options() throws {
        let trainer = try Trainer(network: Self.network, loss: .softmaxCrossEntropy, optimizer: .adam())
        let data = try Dataset(inputs: Matrix(rows: 20, columns: 3, repeating: 0.5), labels: (0..<20).map { $0 % 2 }, classes: 2)
        #expect(throws: TrainingError.invalidHyperparameter("batch size = 0 must be ≥ 1")) { try trainer.fit(data, options: TrainingOptions(batchSize: 0)) }
        #expect(throws: TrainingError.invalidHyperparameter("validation split = 1.0 must be in [0, 1)")) {
            try trainer.fit(data, options: TrainingOptions(validationSplit: 1))
        }
        #expect(throws: TrainingError.invalidHyperparameter("epochs = -1 must be ≥ 0 (0 trains nothing)")) {
            try trainer.fit(data, options: TrainingOptions(epochs: -1))
        }
        let before = trainer.network
        #expect(try trainer.fit(data, options: TrainingOptions(epochs: 0)).epochs.isEmpty)
        #expect(trainer.network == before)
        #expect(try Trainer(network: Self.network, loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0)).step == 0)
    }
}
