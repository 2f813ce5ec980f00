/// A training loss over a (samples × outputs) block of predictions and
/// targets, computed in one fused pass that also writes the gradient
/// ∂L/∂prediction.
///
/// The cross-entropy losses take **logits** (pre-activations): the softmax or
/// sigmoid is folded into the loss, which is both cheaper and exact where
/// `log(0)` would otherwise appear. Reductions follow PyTorch's defaults
/// (Docs/Kernels.md, "Losses").
public enum Loss: Sendable, Hashable, CaseIterable {
    /// (1 / (samples·outputs))·Σ (y − t)².
    case meanSquaredError
    /// Σ (y − t)², no averaging (the "lecture" network's loss).
    case sumOfSquares
    /// (1 / samples)·Σᵢ (Σⱼ tᵢⱼ)·lseᵢ − Σⱼ tᵢⱼ·zᵢⱼ, lse = ln Σⱼ e^zᵢⱼ: the negative
    /// log-likelihood of softmax(z); gradient (Σⱼ tᵢⱼ)·softmax(z) − t.
    case softmaxCrossEntropy
    /// (1 / (samples·outputs))·Σ ζ(z) − t·z with ζ = softplus: binary
    /// cross-entropy of σ(z), never taking log(0); gradient σ(z) − t.
    case sigmoidCrossEntropy
    /// (1 / samples)·Σᵢ Σ_{j ≠ cᵢ} max(0, 1 + zᵢⱼ − z_{i cᵢ}) with cᵢ the
    /// target class (the largest tᵢⱼ): the multiclass SVM hinge of Weston and Watkins.
    case multiclassHinge

    /// Whether the loss sums over samples rather than averaging (only
    /// ``sumOfSquares``): a loss over several batches is then the sum of
    /// theirs, not their sample-weighted mean.
    package var isSummedOverSamples: Bool { self == .sumOfSquares }

    /// Whether the loss expects logits rather than activated outputs.
    public var takesLogits: Bool { self == .softmaxCrossEntropy || self == .sigmoidCrossEntropy }

    /// The loss of `predictions` against `targets`, both (rows × columns) with
    /// leading dimensions `ldp` and `ldt`; when `gradient` is given, also
    /// writes ∂L/∂prediction there (leading dimension `ldg`, may equal the
    /// predictions). Summation is in a fixed order: the result does not depend
    /// on the thread count.
    public func evaluate(
        rows: Int, columns: Int, predictions p: UnsafePointer<Float>, ldp: Int,
        targets t: UnsafePointer<Float>, ldt: Int,
        gradient g: UnsafeMutablePointer<Float>?, ldg: Int
    ) -> Double {
        guard rows > 0, columns > 0 else { return 0 }
        let elements = Float(rows * columns), samples = Float(rows)
        switch self {
        case .meanSquaredError, .sumOfSquares:
            let scale: Float = self == .sumOfSquares ? 1 : 1 / elements
            let sum = LossKernels.squaredError(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, gradientScale: 2 * scale)
            return sum * Double(scale)
        case .sigmoidCrossEntropy:
            return LossKernels.sigmoidCrossEntropy(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: 1 / elements)
                / Double(elements)
        case .softmaxCrossEntropy:
            return LossKernels.softmaxCrossEntropy(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: 1 / samples)
                / Double(samples)
        case .multiclassHinge:
            return LossKernels.multiclassHinge(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: 1 / samples)
                / Double(samples)
        }
    }

    /// The loss of (samples × outputs) `predictions` against `targets`.
    public func callAsFunction(_ predictions: Matrix, _ targets: Matrix) -> Double {
        checkShapes(predictions, targets)
        return predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                guard let p = p.baseAddress, let t = t.baseAddress else { return 0 }
                return evaluate(
                    rows: predictions.rows, columns: predictions.columns, predictions: p, ldp: predictions.rows,
                    targets: t, ldt: targets.rows, gradient: nil, ldg: 1)
            }
        }
    }

    /// The loss and its gradient ∂L/∂prediction (same shape as `predictions`).
    public func valueAndGradient(_ predictions: Matrix, _ targets: Matrix) -> (value: Double, gradient: Matrix) {
        checkShapes(predictions, targets)
        var gradient = Matrix(rows: predictions.rows, columns: predictions.columns)
        let value = predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    guard let p = p.baseAddress, let t = t.baseAddress else { return 0.0 }
                    return evaluate(
                        rows: predictions.rows, columns: predictions.columns, predictions: p, ldp: predictions.rows,
                        targets: t, ldt: targets.rows, gradient: g.baseAddress, ldg: predictions.rows)
                }
            }
        }
        return (value, gradient)
    }

    private func checkShapes(_ predictions: Matrix, _ targets: Matrix) {
        require(
            predictions.rows == targets.rows && predictions.columns == targets.columns,
            "Loss \(self): predictions are \(predictions.rows) × \(predictions.columns) but targets are \(targets.rows) × \(targets.columns)")
    }
}
