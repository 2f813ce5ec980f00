/// What the progress callback sees, after every step and at every epoch end.
public struct TrainingProgress: Sendable {
    /// The epoch (0-based) and the step within it (1-based).
    public var epoch: Int, step: Int
    /// Steps per epoch and epochs planned.
    public var stepsPerEpoch: Int, epochs: Int
    /// The loss over the epoch's samples so far, reduced as `Loss` reduces
    /// it (a mean, or a sum for `Loss.sumOfSquares`), and the accuracy (the
    /// arg-max or 0.5-threshold match rate; `nil` for a regression model).
    public var loss: Double, accuracy: Double?
    /// Training throughput of the epoch so far.
    public var samplesPerSecond: Double
    /// The learning rate in use.
    public var learningRate: Float
    /// Set at the end of an epoch.
    public var isEpochEnd: Bool
    /// Validation loss and accuracy, at epoch ends when there is a validation set.
    public var validationLoss: Double?, validationAccuracy: Double?
}

/// What the progress callback asks for.
public enum TrainingAction: Sendable {
    /// Go on.
    case `continue`
    /// Stop after this step; the weights are kept as they are.
    case stop
}
