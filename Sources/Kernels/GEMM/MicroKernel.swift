/// A register-tiled GEMM micro-kernel: the innermost computation of the BLIS
/// loop nest (Docs/GEMM.md, "Micro-kernel contract").
///
/// It reads a packed A micro-panel (`mr × k`, stored `k` columns of `mr`
/// contiguous floats, 64-byte aligned) and a packed B micro-panel (`k × nr`,
/// stored `k` rows of `nr` contiguous floats), forms their product in
/// registers, and writes the full `mr × nr` tile of C (column stride `ldc`):
///
///     C ← A·B + β·C
///
/// When `β = 0` it never reads C, so C may hold NaN or garbage. It reads no
/// memory outside the two micro-panels and the tile, and writes only the tile.
/// Edge tiles are handled by the caller (zero-padded panels and a scratch tile).
protocol MicroKernel {
    /// Rows of the register tile (the vectorized dimension).
    static var mr: Int { get }
    /// Columns of the register tile (the broadcast dimension).
    static var nr: Int { get }
    /// Computes `C ← A·B + β·C` for one `mr × nr` tile.
    static func multiply(
        k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)
}

extension MicroKernel {
    /// Stores one accumulator column segment: `c ← acc + β·c`, or `c ← acc`
    /// without reading `c` when `β = 0`.
    @inline(__always)
    static func store<V: SIMD>(_ acc: V, beta: Float, to c: UnsafeMutablePointer<Float>)
    where V.Scalar == Float {
        let raw = UnsafeMutableRawPointer(c)
        if beta == 0 {
            raw.storeBytes(of: acc, as: V.self)
        } else {
            let old = UnsafeRawPointer(c).loadUnaligned(as: V.self)
            raw.storeBytes(of: acc.multiplyAdding(old, beta), as: V.self)
        }
    }
}
