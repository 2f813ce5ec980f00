import Kernels

/// What evaluating a network on labelled data measured.
public struct Evaluation: Sendable, Equatable {
    /// The loss, reduced as `Loss` reduces it.
    public var loss: Double
    /// The fraction of samples classified correctly; `nil` for a regression model.
    public var accuracy: Double?
    /// MSE, MAE and R²; `nil` for a classifier.
    public var regression: RegressionMetrics?
}

/// How well predicted values match targets.
public struct RegressionMetrics: Sendable, Equatable {
    /// Mean squared error over every sample and output.
    public var meanSquaredError: Double
    /// Mean absolute error over every sample and output.
    public var meanAbsoluteError: Double
    /// The coefficient of determination, 1 − SSE / SST, with SST about each
    /// output's mean (averaged over outputs); `nan` when the targets are constant.
    public var r2: Double

    /// The metrics of (samples × outputs) `predicted` against `targets`.
    ///
    /// - Parameters:
    ///   - predicted: the (samples × outputs) predictions.
    ///   - targets: the targets, of the same shape.
    /// - Throws: ``ArgumentError`` when the shapes differ.
    public init(predicted: Matrix, targets: Matrix) throws(ArgumentError) {
        try check(
            predicted.rows == targets.rows && predicted.columns == targets.columns, "RegressionMetrics",
            "predicted is \(predicted.shapeDescription) but targets is \(targets.shapeDescription)")
        self.init(checkedPredicted: predicted, targets: targets)
    }

    /// The metrics of predictions whose shape the caller has checked.
    init(checkedPredicted predicted: Matrix, targets: Matrix) {
        let n = Double(max(1, targets.rows))
        var squares = 0.0, absolutes = 0.0, r2 = 0.0
        for j in 0..<targets.columns {
            var mean = 0.0
            for i in 0..<targets.rows { mean += Double(targets[i, j]) }
            mean /= n
            var sse = 0.0, sst = 0.0
            for i in 0..<targets.rows {
                let t = Double(targets[i, j]), e = Double(predicted[i, j]) - t
                sse += e * e
                sst += (t - mean) * (t - mean)
                absolutes += abs(e)
            }
            squares += sse
            r2 += sst > 0 ? 1 - sse / sst : .nan
        }
        let count = n * Double(max(1, targets.columns))
        meanSquaredError = squares / count
        meanAbsoluteError = absolutes / count
        self.r2 = r2 / Double(max(1, targets.columns))
    }
}
