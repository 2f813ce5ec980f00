/// Work fused into a GEMM's store: applied to each micro-tile of C right after
/// its last rank-k update, while the tile is hot in L1, so C is written once.
///
/// For a dense layer with samples as rows, C is (samples × units): the bias
/// is one value per column, and `z`, `a` are (samples × units) matrices.
public struct GEMMEpilogue {
    enum Kind {
        case none
        case activation(Activation, bias: UnsafePointer<Float>?, z: UnsafeMutablePointer<Float>?, ldz: Int)
        case derivative(Activation, z: UnsafePointer<Float>, ldz: Int, a: UnsafePointer<Float>, lda: Int)
    }

    var kind: Kind

    /// Nothing: the plain GEMM.
    public static var none: GEMMEpilogue { GEMMEpilogue(kind: .none) }

    /// The forward pass of a dense layer:
    ///
    ///     z ← α·op(A)·op(B) + β·C + bias,   C ← f(z)
    ///
    /// `bias` holds n floats, one per column of C (or `nil`); when
    /// `preActivations` is given, z is also stored there (an (m × n) matrix with
    /// leading dimension `ldz`, not overlapping C).
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
    public static func derivative(
        of f: Activation, preActivations z: UnsafePointer<Float>, ldz: Int,
        outputs a: UnsafePointer<Float>, lda: Int
    ) -> GEMMEpilogue {
        GEMMEpilogue(kind: .derivative(f, z: z, ldz: ldz, a: a, lda: lda))
    }

    var isNone: Bool {
        if case .none = kind { return true }
        return false
    }

    /// The leading dimensions the caller promised, checked against `m`.
    func checkLeadingDimensions(m: Int) {
        switch kind {
        case .none: break
        case .activation(_, _, let z, let ldz):
            require(z == nil || ldz >= max(1, m), "sgemm: epilogue ldz = \(ldz) must be ≥ max(1, m = \(m))")
        case .derivative(_, _, let ldz, _, let lda):
            require(ldz >= max(1, m), "sgemm: epilogue ldz = \(ldz) must be ≥ max(1, m = \(m))")
            require(lda >= max(1, m), "sgemm: epilogue lda = \(lda) must be ≥ max(1, m = \(m))")
        }
    }

    /// The same epilogue for the block of C starting at (row, column).
    func offset(row: Int, column: Int) -> GEMMEpilogue {
        switch kind {
        case .none:
            return self
        case .activation(let f, let bias, let z, let ldz):
            return GEMMEpilogue(kind: .activation(f, bias: bias.map { $0 + column }, z: z.map { $0 + row + column * ldz }, ldz: ldz))
        case .derivative(let f, let z, let ldz, let a, let lda):
            return GEMMEpilogue(kind: .derivative(f, z: z + row + column * ldz, ldz: ldz, a: a + row + column * lda, lda: lda))
        }
    }

    typealias Vector = PreferredMath.Vector

    /// Applies the epilogue to the (rows × columns) tile of C at `c`, which
    /// starts at (`row`, `column`) of the block this epilogue describes.
    func apply(row: Int, column: Int, rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch kind {
        case .none:
            return
        case .activation(let f, let bias, let z, let ldz):
            let zTile = z.map { $0 + row + column * ldz }
            let biasTile = bias.map { $0 + column }
            switch f {
            case .identity: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { $0 }
            case .step: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.step($0) }
            case .sigmoid: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.sigmoid($0) }
            case .tanh: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.tanh($0) }
            case .relu: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.relu($0) }
            case .leakyReLU(let s): forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.leakyReLU($0, slope: s) }
            case .softplus: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.softplus($0) }
            case .hardSigmoid: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.hardSigmoid($0) }
            case .gelu: forward(rows, columns, c, ldc, biasTile, zTile, ldz) { PreferredMath.gelu($0) }
            }
        case .derivative(let f, let z, let ldz, let a, let lda):
            let zTile = z + row + column * ldz, aTile = a + row + column * lda
            switch f {
            case .sigmoid: backward(rows, columns, c, ldc, zTile, ldz, aTile, lda) { _, a in PreferredMath.sigmoidDerivative(output: a) }
            case .tanh: backward(rows, columns, c, ldc, zTile, ldz, aTile, lda) { _, a in PreferredMath.tanhDerivative(output: a) }
            case .relu: backward(rows, columns, c, ldc, zTile, ldz, aTile, lda) { z, _ in PreferredMath.reluDerivative(z) }
            default: backward(rows, columns, c, ldc, zTile, ldz, aTile, lda) { z, a in f.derivative(PreferredMath.self, z: z, a: a) }
            }
        }
    }

    /// z = c + bias[j] (stored when asked), c = f(z), column by column.
    @inline(__always)
    private func forward(
        _ rows: Int, _ columns: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        _ bias: UnsafePointer<Float>?, _ z: UnsafeMutablePointer<Float>?, _ ldz: Int, _ f: (Vector) -> Vector
    ) {
        for j in 0..<columns {
            let b = Vector(repeating: bias?[j] ?? 0)
            let cj = c + j * ldc, zj = z.map { $0 + j * ldz }
            forEachVector(rows) { i, count in
                let v = load(cj + i, count) + b
                if let zj { store(v, count, zj + i) }
                store(f(v), count, cj + i)
            }
        }
    }

    /// c = c ⊙ f′(z, a), column by column.
    @inline(__always)
    private func backward(
        _ rows: Int, _ columns: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        _ z: UnsafePointer<Float>, _ ldz: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ d: (Vector, Vector) -> Vector
    ) {
        for j in 0..<columns {
            let cj = c + j * ldc, zj = z + j * ldz, aj = a + j * lda
            forEachVector(rows) { i, count in
                store(load(cj + i, count) * d(load(zj + i, count), load(aj + i, count)), count, cj + i)
            }
        }
    }

    @inline(__always)
    private func forEachVector(_ rows: Int, _ body: (Int, Int) -> Void) {
        for i in stride(from: 0, to: rows, by: Vector.scalarCount) { body(i, min(Vector.scalarCount, rows - i)) }
    }

    @inline(__always)
    private func load(_ p: UnsafePointer<Float>, _ count: Int) -> Vector {
        Softmax.loader(p, 0, count: count)(0)
    }

    @inline(__always)
    private func load(_ p: UnsafeMutablePointer<Float>, _ count: Int) -> Vector { load(UnsafePointer(p), count) }

    @inline(__always)
    private func store(_ v: Vector, _ count: Int, _ p: UnsafeMutablePointer<Float>) {
        Softmax.store(v, rows: count, to: p)
    }
}
