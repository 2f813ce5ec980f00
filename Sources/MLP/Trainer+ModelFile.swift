import Kernels

extension Optimizer {
    /// The name and hyperparameters, e.g. `adam 0.001 0.9 0.999 1e-08`: how
    /// model files store the optimizer.
    var encoded: String {
        let values: [Float]
        switch self {
        case .sgd(let lr): values = [lr]
        case .momentum(let lr, let m), .nesterov(let lr, let m): values = [lr, m]
        case .adaGrad(let lr, let e): values = [lr, e]
        case .rmsProp(let lr, let d, let e): values = [lr, d, e]
        case .adam(let lr, let b1, let b2, let e): values = [lr, b1, b2, e]
        case .adamW(let lr, let b1, let b2, let e, let w): values = [lr, b1, b2, e, w]
        case .deltaBarDelta(let lr, let k, let p, let t): values = [lr, k, p, t]
        }
        return ([name] + values.map { "\($0)" }).joined(separator: " ")
    }

    /// Parses `encoded`.
    init?(encoded: String) {
        let parts = encoded.split(separator: " ")
        let v = parts.dropFirst().compactMap { Float($0) }
        guard let name = parts.first, v.count == parts.count - 1 else { return nil }
        switch (name, v.count) {
        case ("sgd", 1): self = .sgd(learningRate: v[0])
        case ("momentum", 2): self = .momentum(learningRate: v[0], momentum: v[1])
        case ("nesterov", 2): self = .nesterov(learningRate: v[0], momentum: v[1])
        case ("adagrad", 2): self = .adaGrad(learningRate: v[0], epsilon: v[1])
        case ("rmsprop", 3): self = .rmsProp(learningRate: v[0], decay: v[1], epsilon: v[2])
        case ("adam", 4): self = .adam(learningRate: v[0], beta1: v[1], beta2: v[2], epsilon: v[3])
        case ("adamw", 5): self = .adamW(learningRate: v[0], beta1: v[1], beta2: v[2], epsilon: v[3], weightDecay: v[4])
        case ("delta-bar-delta", 4): self = .deltaBarDelta(learningRate: v[0], increment: v[1], decrement: v[2], smoothing: v[3])
        default: return nil
        }
    }
}

extension Trainer {
    /// A model file with the current network and everything needed to resume
    /// training exactly (optimizer moments, step, generator state).
    ///
    /// - Parameters:
    ///   - normalization: the input standardization the network expects, if any.
    ///   - metadata: free-form key/value pairs.
    ///   - dataLayout: how the training data was laid out, if known.
    public func modelFile(
        normalization: Normalization? = nil, metadata: [String: String] = [:], dataLayout: ModelFile.DataLayout? = nil
    ) -> ModelFile {
        let tensors = store.momentTensors
        let state = ModelFile.TrainingState(
            loss: "\(loss)", optimizer: optimizer.encoded, step: step, learningRateScale: learningRateScale,
            generator: generator.state, tensors: tensors)
        return ModelFile(network: network, normalization: normalization, metadata: metadata, training: state, dataLayout: dataLayout)
    }

    /// A trainer that continues from a model file saved by
    /// ``modelFile(normalization:metadata:dataLayout:)``: the next step is the one the
    /// original trainer would have taken.
    ///
    /// - Parameters:
    ///   - file: a model file with a training state.
    ///   - regularization: the penalty to train with (not saved in the file).
    ///   - path: the name errors give the file.
    /// - Throws: ``ModelFileError/corrupted(path:detail:)`` when the file has
    ///   no training state or it does not fit the network.
    public convenience init(resuming file: ModelFile, regularization: Regularization = .none, path: String = "model") throws {
        guard let state = file.training else {
            throw ModelFileError.corrupted(path: path, detail: "no training state to resume from")
        }
        guard let loss = Loss.allCases.first(where: { "\($0)" == state.loss }), let optimizer = Optimizer(encoded: state.optimizer) else {
            throw ModelFileError.corrupted(path: path, detail: "unknown loss '\(state.loss)' or optimizer '\(state.optimizer)'")
        }
        try self.init(network: file.network, loss: loss, optimizer: optimizer, regularization: regularization)
        guard store.setMomentTensors(state.tensors) else {
            throw ModelFileError.corrupted(path: path, detail: "optimizer state does not match the network")
        }
        guard state.generator.count == 4, state.generator.contains(where: { $0 != 0 }) else {
            throw ModelFileError.corrupted(path: path, detail: "the random generator's state is not four words, not all zero")
        }
        step = state.step
        learningRateScale = state.learningRateScale
        generator.state = state.generator
    }
}
