import Kernels

/// How a layer's weights are drawn, from the trainer's seed.
///
/// `fanIn` and `fanOut` are the layer's inputs and outputs.
public enum WeightInitialization: Sendable, Hashable {
    /// Glorot & Bengio: U(−r, r), r = √(6 / (fanIn + fanOut)).
    case xavierUniform
    /// Glorot & Bengio: N(0, 2 / (fanIn + fanOut)).
    case xavierNormal
    /// He et al., for ReLU units: U(−r, r), r = √(6 / fanIn).
    case heUniform
    /// He et al., for ReLU units: N(0, 2 / fanIn).
    case heNormal
    /// U(−scale, scale).
    case uniform(scale: Float)
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Float)

    /// A sensible default for the units: He for the ReLU family, Xavier otherwise.
    ///
    /// - Parameter units: the layer's units.
    public static func `default`(for units: Units) -> WeightInitialization {
        switch units {
        case .activation(.relu), .activation(.leakyReLU), .activation(.gelu), .maxout: return .heUniform
        default: return .xavierUniform
        }
    }

    /// A (fanIn × columns) weight matrix.
    func weights(fanIn: Int, fanOut: Int, columns: Int, using generator: inout Xoshiro256) -> Matrix {
        let fans = Float(fanIn + fanOut), inputs = Float(max(1, fanIn))
        switch self {
        case .xavierUniform:
            let r = (6 / fans).squareRoot()
            return .uniform(rows: fanIn, columns: columns, in: -r...r, using: &generator)
        case .xavierNormal:
            return .normal(rows: fanIn, columns: columns, standardDeviation: (2 / fans).squareRoot(), using: &generator)
        case .heUniform:
            let r = (6 / inputs).squareRoot()
            return .uniform(rows: fanIn, columns: columns, in: -r...r, using: &generator)
        case .heNormal:
            return .normal(rows: fanIn, columns: columns, standardDeviation: (2 / inputs).squareRoot(), using: &generator)
        case .uniform(let scale):
            return .uniform(rows: fanIn, columns: columns, in: -scale...scale, using: &generator)
        case .normal(let standardDeviation):
            return .normal(rows: fanIn, columns: columns, standardDeviation: standardDeviation, using: &generator)
        }
    }
}
