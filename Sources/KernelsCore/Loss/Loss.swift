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
}
