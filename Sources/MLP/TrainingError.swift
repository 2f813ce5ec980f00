/// Why training or a model file failed; every case says where.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss or a gradient became NaN or infinite.
    case diverged(epoch: Int, step: Int, loss: Double)
    /// Data and network do not fit together.
    case shapeMismatch(String)
    /// The loss cannot be used with the output units.
    case incompatibleLoss(String)
    /// Input or target data contains NaN or ±∞.
    case nonFiniteData(String)
    /// The validation set is too small, or lacks a class of the training set.
    case unusableValidation(String)
    /// Two layers cannot share their weights.
    case invalidTie(String)
    /// An optimizer, regularization or training option is out of range.
    case invalidHyperparameter(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .diverged(let epoch, let step, let loss):
            return "training diverged at epoch \(epoch), step \(step): loss = \(loss); try a smaller learning rate"
        case .shapeMismatch(let detail): return "shape mismatch: \(detail)"
        case .incompatibleLoss(let detail): return "incompatible loss: \(detail)"
        case .nonFiniteData(let detail): return "non-finite data: \(detail)"
        case .unusableValidation(let detail): return "unusable validation set: \(detail)"
        case .invalidTie(let detail): return "cannot tie weights: \(detail)"
        case .invalidHyperparameter(let detail): return "invalid hyper-parameter: \(detail)"
        }
    }
}
