/// How the learning rate changes over epochs (epochs count from 0).
public enum LearningRateSchedule: Sendable, Hashable {
    /// η at every epoch.
    case constant
    /// η·factor^⌊epoch / every⌋.
    case stepDecay(every: Int, factor: Float)
    /// η·rate^epoch.
    case exponential(rate: Float)
    /// η_min + ½(η − η_min)(1 + cos(π·epoch / epochs)), over `epochs` epochs.
    case cosine(epochs: Int, minimum: Float = 0)
    /// η·factor each time the monitored loss (validation if any, else training)
    /// has not improved for `patience` epochs, never below `minimum`.
    case reduceOnPlateau(factor: Float = 0.5, patience: Int = 5, minimum: Float = 1e-6)

    /// The learning rate for `epoch` given the base rate; `plateauScale` is the
    /// product of the reductions made so far by `reduceOnPlateau`.
    func rate(base: Float, epoch: Int, plateauScale: Float) -> Float {
        switch self {
        case .constant:
            return base
        case .stepDecay(let every, let factor):
            return base * Float(pow(Double(factor), Double(epoch / max(1, every))))
        case .exponential(let rate):
            return base * Float(pow(Double(rate), Double(epoch)))
        case .cosine(let epochs, let minimum):
            let progress = Double(min(epoch, epochs)) / Double(max(1, epochs))
            return minimum + Float(0.5 * (1 + cos(Double.pi * progress))) * (base - minimum)
        case .reduceOnPlateau(_, _, let minimum):
            return max(minimum, base * plateauScale)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
