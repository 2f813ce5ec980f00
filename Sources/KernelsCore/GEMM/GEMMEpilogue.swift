/// Work fused into a GEMM's store: applied to each micro-tile of C right after
/// its last rank-k update, while the tile is hot in L1, so C is written once.
///
/// For a dense layer with samples as rows, C is (samples × units): the bias
/// is one value per column, and `z`, `a` are (samples × units) matrices.
public struct GEMMEpilogue {
    package enum Kind {
        case none
        case activation(Activation, bias: UnsafePointer<Float>?, z: UnsafeMutablePointer<Float>?, ldz: Int)
        case derivative(Activation, z: UnsafePointer<Float>, ldz: Int, a: UnsafePointer<Float>, lda: Int)
    }

    package var kind: Kind

    /// Nothing: the plain GEMM.
    public static var none: GEMMEpilogue { GEMMEpilogue(kind: .none) }

    /// The forward pass of a dense layer:
    ///
    ///     z ← α·op(A)·op(B) + β·C + bias,   C ← f(z)
    ///
    /// `bias` holds n floats, one per column of C (or `nil`); when
    /// `preActivations` is given, z is also stored there (an (m × n) matrix with
    /// leading dimension `ldz`, not overlapping C).
    ///
    /// - Parameters:
    ///   - f: the activation.
    ///   - bias: n floats added to the columns of C, or `nil`.
    ///   - preActivations: where z is stored, or `nil`.
    ///   - ldz: the leading dimension of `preActivations`, at least m when it is given.
    public static func activation(
        _ f: Activation, bias: UnsafePointer<Float>? = nil,
        preActivations: UnsafeMutablePointer<Float>? = nil, ldz: Int = 1
    ) -> GEMMEpilogue {
        GEMMEpilogue(kind: .activation(f, bias: bias, z: preActivations, ldz: ldz))
    }

    /// The backward pass through an activation:
    ///
    ///     C ← (α·op(A)·op(B) + β·C) ⊙ f′(z)
    ///
    /// with f′ taken from the (m × n) pre-activations `z` or outputs `a`,
    /// whichever the activation needs (Docs/Kernels.md).
    ///
    /// - Parameters:
    ///   - f: the activation.
    ///   - z: the first pre-activation, column-major (m × n).
    ///   - ldz: the pre-activations' leading dimension, at least m.
    ///   - a: the first output f(z), column-major (m × n).
    ///   - lda: the outputs' leading dimension, at least m.
    public static func derivative(
        of f: Activation, preActivations z: UnsafePointer<Float>, ldz: Int,
        outputs a: UnsafePointer<Float>, lda: Int
    ) -> GEMMEpilogue {
        GEMMEpilogue(kind: .derivative(f, z: z, ldz: ldz, a: a, lda: lda))
    }

    /// The leading dimensions the caller promised, checked against `m`.
    package func checkLeadingDimensions(m: Int) {
        switch kind {
        case .none: break
        case .activation(_, _, let z, let ldz):
            require(z == nil || ldz >= max(1, m), "sgemm: epilogue ldz = \(ldz) must be ≥ max(1, m = \(m))")
        case .derivative(_, _, let ldz, _, let lda):
            require(ldz >= max(1, m), "sgemm: epilogue ldz = \(ldz) must be ≥ max(1, m = \(m))")
            require(lda >= max(1, m), "sgemm: epilogue lda = \(lda) must be ≥ max(1, m = \(m))")
        }
    }

    /// Whether this is a backward (⊙ f′) epilogue.
    package var isDerivative: Bool {
        if case .derivative = kind { return true }
        return false
    }

    /// The same epilogue for the block of C starting at (row, column).
    package func offset(row: Int, column: Int) -> GEMMEpilogue {
        switch kind {
        case .none:
            return self
        case .activation(let f, let bias, let z, let ldz):
            return GEMMEpilogue(kind: .activation(f, bias: bias.map { $0 + column }, z: z.map { $0 + row + column * ldz }, ldz: ldz))
        case .derivative(let f, let z, let ldz, let a, let lda):
            return GEMMEpilogue(kind: .derivative(f, z: z + row + column * ldz, ldz: ldz, a: a + row + column * lda, lda: lda))
        }
    }
}
