import Kernels

/// Per-feature standardization x′ = (x − mean) · scale, with scale = 1/σ
/// (1 for constant features). Fitted on training data and saved in model files,
/// so predictions see inputs exactly as training did.
public struct Normalization: Sendable, Equatable {
    /// The mean of each feature.
    public var mean: [Float]
    /// The multiplier of each feature, 1/σ.
    public var scale: [Float]

    /// Statistics given directly.
    ///
    /// - Parameters:
    ///   - mean: each feature's mean.
    ///   - scale: each feature's multiplier (1/σ), as many as the means.
    /// - Throws: ``ArgumentError`` when the counts differ.
    public init(mean: [Float], scale: [Float]) throws(ArgumentError) {
        try check(mean.count == scale.count, "Normalization", "\(mean.count) means but \(scale.count) scales")
        self.init(checkedMean: mean, scale: scale)
    }

    /// Statistics whose counts the caller has checked.
    init(checkedMean mean: [Float], scale: [Float]) {
        self.mean = mean
        self.scale = scale
    }

    /// Statistics from each feature's mean and standard deviation σ; a
    /// constant feature (σ ≤ 1e-12) gets scale 1.
    ///
    /// - Parameters:
    ///   - mean: each feature's mean.
    ///   - standardDeviation: each feature's standard deviation, as many as the means.
    /// - Throws: ``ArgumentError`` when the counts differ.
    public init(mean: [Double], standardDeviation: [Double]) throws(ArgumentError) {
        try self.init(mean: mean.map(Float.init), scale: standardDeviation.map(Self.scale))
    }

    /// 1/σ, or 1 for a constant feature (σ ≤ 1e-12).
    private static func scale(_ deviation: Double) -> Float {
        deviation > 1e-12 ? Float(1 / deviation) : 1
    }

    /// The mean and standard deviation of each column of (samples × features) `x`.
    ///
    /// - Parameter x: the (samples × features) data.
    public init(fitting x: Matrix) {
        var mean = [Double](repeating: 0, count: x.columns), deviation = mean
        let n = Double(max(1, x.rows))
        for j in 0..<x.columns {
            let m = (0..<x.rows).reduce(0.0) { $0 + Double(x[$1, j]) } / n
            let squares = (0..<x.rows).reduce(0.0) { $0 + (Double(x[$1, j]) - m) * (Double(x[$1, j]) - m) }
            mean[j] = m
            deviation[j] = (squares / n).squareRoot()
        }
        self.init(checkedMean: mean.map(Float.init), scale: deviation.map(Self.scale))
    }

    /// `x` standardized column by column.
    ///
    /// - Parameter x: the (samples × features) data.
    /// - Throws: ``ArgumentError`` when `x` does not have a column per feature.
    public func apply(to x: Matrix) throws(ArgumentError) -> Matrix {
        try check(
            x.columns == mean.count, "Normalization.apply",
            "x is \(x.shapeDescription); the statistics are for \(mean.count) features, so x needs \(mean.count) columns")
        var result = x
        for j in 0..<x.columns {
            for i in 0..<x.rows { result[i, j] = (x[i, j] - mean[j]) * scale[j] }
        }
        return result
    }
}
