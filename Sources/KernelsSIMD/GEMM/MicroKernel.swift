import KernelsCore

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
/// Edge tiles are handled by the caller: the last partial column panel by the
/// narrow form of `StridedMicroKernel`, partial rows through a scratch tile
/// (by its upper-half form when at most MR/2 rows are left).
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

/// A micro-kernel that reads its operands in place rather than from packed
/// micro-panels: the driver of the direct path (`DirectGEMM`).
///
/// Column p of the A micro-panel is the MR floats at `a + p·aStride` (a column
/// of A itself, or of a packed panel with `aStride = MR`); element (p, j) of the
/// B micro-panel is at `b + p·bRowStride + j·bColumnStride`. It computes
///
///     C ← α·(A·B) + β·C
///
/// for one MR × NR tile, scaling by α at the store; as for `MicroKernel`, it
/// never reads C when `β = 0`, and reads nothing outside the two panels.
protocol StridedMicroKernel: MicroKernel {
    /// Computes `C ← α·(A·B) + β·C` for one `mr × nr` tile.
    static func multiply(
        k: Int, a: UnsafePointer<Float>, aStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
        alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)

    /// The same for the first `columns` columns of the tile only (1 ≤ columns ≤
    /// NR): reads B's first `columns` columns and writes C's first `columns`
    /// columns, nothing beyond. Each element's sum is formed exactly as in the
    /// full tile, so the bits do not depend on which of the two computed it.
    static func multiply(
        columns: Int, k: Int, a: UnsafePointer<Float>, aStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
        alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)

    /// The same as `multiply(columns:…)` for the top `mr / 2` rows of the
    /// tile only, at half the multiply-adds: reads the first `mr / 2` floats
    /// of each column of A and writes rows `0 ..< mr / 2` of C's first
    /// `columns` columns. The edge tile of `mr / 2` rows or fewer.
    static func multiplyUpperHalf(
        columns: Int, k: Int, a: UnsafePointer<Float>, aStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
        alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)
}

extension StridedMicroKernel {
    /// An edge tile of `rows` < MR rows and the first `columns` columns, with
    /// the operands of `multiply(columns:…)`: the kernel (its upper half when
    /// `rows` ≤ MR/2) forms α·(A·B) in `tile` (MR × NR floats, column stride
    /// MR), and `mergeEdgeTile` writes the valid corner into C with β.
    @inline(__always)
    static func multiplyEdgeRows(
        rows: Int, columns: Int, k: Int, a: UnsafePointer<Float>, aStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
        alpha: Float, beta: Float, tile: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if rows <= mr / 2 {
            multiplyUpperHalf(
                columns: columns, k: k, a: a, aStride: aStride, b: b, bRowStride: bRowStride, bColumnStride: bColumnStride,
                alpha: alpha, beta: 0, c: tile, ldc: mr)
        } else {
            multiply(
                columns: columns, k: k, a: a, aStride: aStride, b: b, bRowStride: bRowStride, bColumnStride: bColumnStride,
                alpha: alpha, beta: 0, c: tile, ldc: mr)
        }
        mergeEdgeTile(tile, mr: mr, rows: rows, columns: columns, beta: beta, into: c, ldc: ldc)
    }
}

/// Writes the valid (rows × columns) corner of an edge tile (column stride
/// `mr`) into C with the same rounding as a kernel's own store, reading C only
/// when `β ≠ 0`: eight rows at a time with vectors, the rest one by one (the
/// same fused or unfused multiply-add per element either way).
private func mergeEdgeTile(
    _ tile: UnsafePointer<Float>, mr: Int, rows: Int, columns: Int, beta: Float,
    into c: UnsafeMutablePointer<Float>, ldc: Int
) {
    typealias V = SIMD8<Float>
    let full = rows / 8 * 8
    for j in 0..<columns {
        let source = tile + j * mr, destination = c + j * ldc
        var i = 0
        while i < full {
            let value = UnsafeRawPointer(source + i).loadUnaligned(as: V.self)
            let out = beta == 0 ? value : value.multiplyAdding(UnsafeRawPointer(destination + i).loadUnaligned(as: V.self), beta)
            UnsafeMutableRawPointer(destination + i).storeBytes(of: out, as: V.self)
            i += 8
        }
        for i in full..<rows {
            destination[i] = beta == 0 ? source[i] : source[i].multiplyAdding(destination[i], beta)
        }
    }
}
