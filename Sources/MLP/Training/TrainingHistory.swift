/// One finished epoch.
public struct EpochRecord: Sendable, Hashable {
    /// The epoch (0-based).
    public var epoch: Int
    /// The training loss over the epoch's samples, reduced as `Loss` reduces it
    /// (the value ``Network/evaluate(_:targets:loss:threads:)`` gives on them
    /// at the weights of each step), and the accuracy (`nil` for a regression model).
    public var loss: Double, accuracy: Double?
    /// On the validation set, when there is one.
    public var validationLoss: Double?, validationAccuracy: Double?
    /// The learning rate used.
    public var learningRate: Float
    /// Wall time of the epoch (training steps only).
    public var seconds: Double
}

/// What ``Trainer/fit(_:options:progress:)`` did.
public struct TrainingHistory: Sendable {
    /// One record per completed epoch.
    public var epochs: [EpochRecord] = []
    /// Why training ended.
    public var stopReason: StopReason = .maxEpochs
    /// The epoch whose weights were kept (differs from the last one after early stopping).
    public var bestEpoch: Int?
    /// Training steps' wall time, summed.
    public var trainingSeconds: Double = 0
    /// Samples processed by training steps.
    public var samples: Int = 0
}

/// Why training ended.
public enum StopReason: Sendable, Hashable {
    /// Every epoch asked for has run.
    case maxEpochs
    /// The validation loss stopped improving (the best epoch's weights are kept).
    case earlyStopping
    /// The last update moved the weights less than the tolerance.
    case weightChangeTolerance
    /// The last gradient norm was below the tolerance.
    case gradientTolerance
    /// The progress callback returned `.stop`.
    case callback
}
