/// Settings of ``Trainer/fit(_:options:progress:)``.
public struct TrainingOptions: Sendable {
    /// Passes over the training data at most.
    public var epochs: Int
    /// Samples per step; the last step of an epoch takes the remainder.
    /// Use the dataset size for full-batch gradient descent.
    public var batchSize: Int
    /// The fraction of the data held out (seeded shuffle) to validate on.
    public var validationSplit: Double
    /// A separate validation set; overrides `validationSplit`.
    public var validation: Dataset?
    /// Stop when the validation loss has not improved for this many epochs,
    /// and restore the best weights; `nil` never stops early.
    public var earlyStoppingPatience: Int?
    /// Stop when an epoch's last update moved the weights by less than this
    /// (Euclidean norm of Δw over all parameters).
    public var weightChangeTolerance: Double?
    /// Stop when an epoch's last gradient norm ‖∇L‖ is below this.
    public var gradientTolerance: Double?
    /// The learning-rate schedule over epochs.
    public var schedule: LearningRateSchedule
    /// Reshuffle the training samples every epoch (from the trainer's seed).
    public var shuffle: Bool
    /// What to do when the loss or gradient stops being finite.
    public var divergence: DivergencePolicy

    /// Creates options; only `epochs` and `batchSize` have no "off" default.
    ///
    /// - Parameters:
    ///   - epochs: the most passes over the training data.
    ///   - batchSize: the samples per step.
    ///   - validationSplit: the fraction of the data held out to validate on.
    ///   - validation: a separate validation set, overriding `validationSplit`.
    ///   - earlyStoppingPatience: the epochs without improvement before stopping, or `nil`.
    ///   - weightChangeTolerance: the weight change below which training stops, or `nil`.
    ///   - gradientTolerance: the gradient norm below which training stops, or `nil`.
    ///   - schedule: the learning-rate schedule over epochs.
    ///   - shuffle: whether to reshuffle the samples every epoch.
    ///   - divergence: what to do when the loss stops being finite.
    public init(
        epochs: Int = 10, batchSize: Int = 32, validationSplit: Double = 0, validation: Dataset? = nil,
        earlyStoppingPatience: Int? = nil, weightChangeTolerance: Double? = nil, gradientTolerance: Double? = nil,
        schedule: LearningRateSchedule = .constant, shuffle: Bool = true, divergence: DivergencePolicy = .stop
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationSplit = validationSplit
        self.validation = validation
        self.earlyStoppingPatience = earlyStoppingPatience
        self.weightChangeTolerance = weightChangeTolerance
        self.gradientTolerance = gradientTolerance
        self.schedule = schedule
        self.shuffle = shuffle
        self.divergence = divergence
    }
}

/// What training does when the loss or a gradient becomes NaN or infinite.
public enum DivergencePolicy: Sendable, Hashable {
    /// Throw ``TrainingError/diverged(epoch:step:loss:)``; the weights stay at
    /// the last good step (the bad update is never applied).
    case stop
    /// Restore the last good weights and optimizer state (from the start of
    /// the latest epoch whose predecessor did not raise the loss above 10× its
    /// lowest), halve the learning rate and go on from there, up to
    /// `attempts` times, then stop.
    case rollBackAndHalveLearningRate(attempts: Int = 5)
}
