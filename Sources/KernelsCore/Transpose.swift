/// Whether a GEMM operand is used as stored or transposed, as in BLAS's
/// `TRANSA`/`TRANSB` arguments.
public enum Transpose: Sendable, Hashable {
    /// op(X) = X.
    case noTranspose
    /// op(X) = Xᵀ.
    case transpose

    /// The BLAS character for this operand: `"N"` or `"T"`.
    public var blasCharacter: Character {
        self == .noTranspose ? "N" : "T"
    }
}
