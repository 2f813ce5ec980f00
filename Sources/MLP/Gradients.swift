import Kernels

/// The gradients of one batch: ∂L/∂W and ∂L/∂b for every layer, and ∂L/∂x
/// when asked for.
public struct Gradients: Sendable, Equatable {
    /// Per layer, input side first, shaped like the layer's parameters.
    public var layers: [LayerGradients]
    /// ∂L/∂x (samples × inputs), when the inputs' gradient was asked for.
    public var inputs: Matrix?

    /// Pairs the layers' gradients with the inputs' one.
    ///
    /// - Parameters:
    ///   - layers: one layer's gradients per layer, first to last.
    ///   - inputs: ∂L/∂x, or `nil` when it was not asked for.
    public init(layers: [LayerGradients], inputs: Matrix? = nil) {
        self.layers = layers
        self.inputs = inputs
    }
}

/// One layer's gradients.
public struct LayerGradients: Sendable, Equatable {
    /// ∂L/∂W (inputs × columns).
    public var weights: Matrix
    /// ∂L/∂b (1 × columns), or `nil` for a layer without bias.
    public var bias: Matrix?

    /// The gradients of a layer's weights and bias.
    ///
    /// - Parameters:
    ///   - weights: ∂L/∂W, shaped as the weights.
    ///   - bias: ∂L/∂b, shaped as the bias, or `nil` for a layer without one.
    public init(weights: Matrix, bias: Matrix?) {
        self.weights = weights
        self.bias = bias
    }
}

extension Network {
    /// The gradients of `loss` (mean or sum as `Loss` defines it) on one
    /// batch with respect to every parameter, and to the inputs when
    /// `withRespectToInputs` is set: no trainer or optimizer needed.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × features) batch.
    ///   - targets: the (samples × outputs) targets.
    ///   - loss: the loss.
    ///   - withRespectToInputs: whether to compute ∂L/∂x too (one more GEMM).
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``TrainingError`` for mismatched shapes or a loss that does
    ///   not fit the output units.
    public func gradients(inputs: Matrix, targets: Matrix, loss: Loss, withRespectToInputs: Bool = false, threads: Int? = nil) throws -> Gradients {
        let trainer = try Trainer(network: self, loss: loss, optimizer: .sgd(learningRate: 0))
        trainer.threads = threads
        return try trainer.gradients(inputs: inputs, targets: targets, withRespectToInputs: withRespectToInputs)
    }

    /// The backward pass from a given ∂L/∂output (samples × outputs): the
    /// gradients of Σ (outputGradient ⊙ predict(inputs)) with respect to every
    /// parameter, and to the inputs when `withRespectToInputs` is set. With
    /// an output gradient of ones and one sample, these are the derivatives
    /// of the network's output itself (e.g. of σ(w·x + b)).
    ///
    /// - Parameters:
    ///   - inputs: the (samples × features) batch.
    ///   - outputGradient: ∂L/∂output, (samples × outputs).
    ///   - withRespectToInputs: whether to compute ∂L/∂x too (one more GEMM).
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``TrainingError/shapeMismatch(_:)`` for mismatched shapes.
    public func gradients(inputs: Matrix, outputGradient: Matrix, withRespectToInputs: Bool = false, threads: Int? = nil) throws -> Gradients {
        let trainer = try Trainer(network: self, loss: .meanSquaredError, optimizer: .sgd(learningRate: 0))
        trainer.threads = threads
        return try trainer.gradients(inputs: inputs, outputGradient: outputGradient, withRespectToInputs: withRespectToInputs)
    }
}
