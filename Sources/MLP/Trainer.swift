import Kernels

/// Trains a ``Network``: minibatch steps (forward, backward, update) on
/// preallocated buffers, so that after the first step a training step
/// allocates nothing.
///
/// The trainer owns the parameters while it trains; ``network`` returns them
/// as a value. Training is deterministic: the same network, data, options and
/// seed give bitwise-identical weights for any thread count. A trainer is
/// used from one thread at a time.
public final class Trainer {
    /// The forward and backward passes, over the parameters, gradients and
    /// optimizer moments they share (``ParameterStore``).
    let engine: Backpropagation
    /// The loss minimized.
    public let loss: Loss
    /// The optimizer (its moments live in the trainer; see ``resetOptimizerState()``).
    public let optimizer: Optimizer
    /// Penalties, constraints and dropout.
    public let regularization: Regularization
    /// Updates applied so far (Adam's t).
    public internal(set) var step = 0
    /// Threads for the kernels; `nil` uses `Threading.threadCount`.
    public var threads: Int?
    /// The multiplier applied to the learning rate by roll-backs and plateaus.
    public internal(set) var learningRateScale: Float = 1
    /// Layer pairs whose weights are one matrix (``tieWeights(encoder:decoder:)``).
    public internal(set) var ties: [WeightTie] = []

    var generator: Xoshiro256

    /// Prepares to train `network` with `loss`, `optimizer` and
    /// `regularization`; `seed` drives shuffling and dropout.
    ///
    /// - Parameters:
    ///   - network: the network to train (the trainer holds its own copy).
    ///   - loss: the loss to minimize.
    ///   - optimizer: the update rule.
    ///   - regularization: the weight penalties, max-norm and dropout.
    ///   - seed: the seed of shuffling and dropout.
    /// - Throws: ``TrainingError/invalidHyperparameter(_:)`` for an optimizer
    ///   or regularization value out of range (``Optimizer/problem``,
    ///   ``Regularization/problem``); ``TrainingError/incompatibleLoss(_:)``
    ///   when a cross-entropy loss does not match the output units (softmax
    ///   cross-entropy needs softmax units, sigmoid cross-entropy sigmoid units).
    public init(
        network: Network, loss: Loss, optimizer: Optimizer, regularization: Regularization = .none, seed: UInt64 = 0
    ) throws {
        if let problem = optimizer.problem ?? regularization.problem { throw TrainingError.invalidHyperparameter(problem) }
        let output = network.layers[network.layers.count - 1].units
        if loss == .softmaxCrossEntropy && output != .softmax {
            throw TrainingError.incompatibleLoss("softmax cross-entropy needs softmax output units, not \(output)")
        }
        if loss == .sigmoidCrossEntropy && output != .activation(.sigmoid) {
            throw TrainingError.incompatibleLoss("sigmoid cross-entropy needs sigmoid output units, not \(output)")
        }
        engine = Backpropagation(store: ParameterStore(network: network, momentSlots: optimizer.stateSlots), shapes: network.layers.map(\.shape))
        self.loss = loss
        self.optimizer = optimizer
        self.regularization = regularization
        generator = Xoshiro256(seed: seed)
    }

    var shapes: [LayerShape] { engine.shapes }
    var store: ParameterStore { engine.store }
    var threadCount: Int { threads ?? Threading.threadCount }

    /// The network with the current parameters.
    public var network: Network {
        let layout = store.layout
        return Network(
            checkedLayers: shapes.indices.map { l in
                let shape = shapes[l]
                return DenseLayer(
                    checkedWeights: store.matrix(layout.weights[l], rows: shape.inputs, columns: shape.columns),
                    bias: layout.biases[l].map { store.matrix($0, rows: 1, columns: shape.columns) }, units: shape.units)
            })
    }

    /// Zeroes the optimizer's moments and its step count.
    public func resetOptimizerState() {
        store.resetMoments()
        step = 0
    }
}
