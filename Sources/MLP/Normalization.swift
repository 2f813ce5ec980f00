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
    public init(mean: [Float], scale: [Float]) {
        require(mean.count == scale.count, "Normalization: \(mean.count) means but \(scale.count) scales")
        self.mean = mean
        self.scale = scale
    }

    /// The mean and standard deviation of each column of (samples × features) `x`.
    public init(fitting x: Matrix) {
        var mean = [Float](repeating: 0, count: x.columns), scale = [Float](repeating: 1, count: x.columns)
        for j in 0..<x.columns {
            var sum = 0.0, squares = 0.0
            for i in 0..<x.rows { sum += Double(x[i, j]) }
            let m = sum / Double(max(1, x.rows))
            for i in 0..<x.rows { squares += (Double(x[i, j]) - m) * (Double(x[i, j]) - m) }
            let sigma = (squares / Double(max(1, x.rows))).squareRoot()
            mean[j] = Float(m)
            scale[j] = sigma > 1e-12 ? Float(1 / sigma) : 1
        }
        self.init(mean: mean, scale: scale)
    }

    /// `x` standardized column by column.
    public func apply(to x: Matrix) -> Matrix {
        require(x.columns == mean.count, "Normalization: \(x.columns) features, statistics for \(mean.count)")
        var result = x
        for j in 0..<x.columns {
            for i in 0..<x.rows { result[i, j] = (x[i, j] - mean[j]) * scale[j] }
        }
        return result
    }
}
