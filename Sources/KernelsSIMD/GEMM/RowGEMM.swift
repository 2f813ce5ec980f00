import KernelsCore

/// The GEMM for products of a few rows (one sample, a handful of samples):
/// C is formed up to four rows at a time as vector–matrix products, with no
/// micro-tile. A tiled kernel would compute a whole MR-row tile for every
/// row of C (16 or 32 rows for one); here every multiply-add is useful, and
/// each load of op(B) serves every row of the group.
///
/// - op(A)'s rows are copied to contiguous scratch first (m·k floats).
/// - op(B) not transposed: its columns are contiguous, and each element of C
///   is a dot product over k in two 16-lane accumulators (even and odd
///   vectors of k, the tail in the odd one), added lane by lane, then across.
/// - op(B) transposed: its rows are contiguous, and each row of C is a sum of
///   rows of op(B) scaled by the elements of a row of op(A), 32 columns at a
///   time, in k order.
///
/// Every element is computed the same way whatever the thread count, the
/// rows it is grouped with or the block it falls in; the path runs on one
/// thread (its products are small) and is chosen by shape only
/// (``GEMMPath/automatic(m:n:k:microKernel:)``).
enum RowGEMM {
    typealias Vector = SIMD16<Float>
    /// Rows of C computed together.
    static let group = 4

    /// Scratch floats for `g`: its rows of op(A), contiguous.
    static func workspaceFloats(for g: GEMMOperands) -> Int { roundUp(g.m * g.k, to: 16) }

    /// Computes `C ← α·op(A)·op(B) + β·C` for `g`, then its epilogue.
    static func run(_ g: GEMMOperands, workspace rows: UnsafeMutablePointer<Float>) {
        // op(A) row i → rows[i·k ..< (i + 1)·k].
        for i in 0..<g.m {
            let row = rows + i * g.k
            if g.transA == .transpose {
                row.update(from: g.a + i * g.lda, count: g.k)
            } else {
                for p in 0..<g.k { row[p] = g.a[i + p * g.lda] }
            }
        }
        for first in stride(from: 0, to: g.m, by: group) {
            let count = min(group, g.m - first)
            if g.transB == .noTranspose {
                for j in 0..<g.n { dots(rows + first * g.k, count: count, first, j, g) }
            } else {
                scaledRowSums(rows + first * g.k, count: count, first, g)
            }
        }
        g.epilogue.apply(row: 0, column: 0, rows: g.m, columns: g.n, c: g.c, ldc: g.ldc)
    }

    /// C[i, j] ← α·value + β·C[i, j], never reading C when β = 0.
    @inline(__always)
    private static func store(_ value: Float, _ g: GEMMOperands, _ i: Int, _ j: Int) {
        let c = g.c + i + j * g.ldc
        c.pointee = g.beta == 0 ? g.alpha * value : g.alpha * value + g.beta * c.pointee
    }

    /// C[first + r, j] for r < count (≤ 4): the dot products of `count`
    /// contiguous rows of op(A) (k apart, from `a`) with column j of op(B).
    @inline(__always)
    private static func dots(_ a: UnsafePointer<Float>, count: Int, _ first: Int, _ j: Int, _ g: GEMMOperands) {
        let lanes = Vector.scalarCount, k = g.k, b = g.b + j * g.ldb
        var even = (Vector(), Vector(), Vector(), Vector()), odd = even
        @inline(__always) func accumulate(_ y: Vector, at p: Int, into s: inout (Vector, Vector, Vector, Vector)) {
            s.0 = s.0.multiplyAdding(load(a + p), y)
            if count > 1 { s.1 = s.1.multiplyAdding(load(a + k + p), y) }
            if count > 2 { s.2 = s.2.multiplyAdding(load(a + 2 * k + p), y) }
            if count > 3 { s.3 = s.3.multiplyAdding(load(a + 3 * k + p), y) }
        }
        var p = 0
        while p + 2 * lanes <= k {
            accumulate(load(b + p), at: p, into: &even)
            accumulate(load(b + p + lanes), at: p + lanes, into: &odd)
            p += 2 * lanes
        }
        if p + lanes <= k {
            accumulate(load(b + p), at: p, into: &even)
            p += lanes
        }
        if p < k {
            // The tail through zero-filled vectors, into the odd accumulators.
            var y = Vector()
            for l in 0..<(k - p) { y[l] = b[p + l] }
            for r in 0..<count {
                var x = Vector()
                for l in 0..<(k - p) { x[l] = a[r * k + p + l] }
                switch r {
                case 0: odd.0 = odd.0.multiplyAdding(x, y)
                case 1: odd.1 = odd.1.multiplyAdding(x, y)
                case 2: odd.2 = odd.2.multiplyAdding(x, y)
                default: odd.3 = odd.3.multiplyAdding(x, y)
                }
            }
        }
        store((even.0 + odd.0).sum(), g, first, j)
        if count > 1 { store((even.1 + odd.1).sum(), g, first + 1, j) }
        if count > 2 { store((even.2 + odd.2).sum(), g, first + 2, j) }
        if count > 3 { store((even.3 + odd.3).sum(), g, first + 3, j) }
    }

    /// Rows first ..< first + count (≤ 4) of C: Σₚ row[p]·(row p of op(B)),
    /// 32 columns at a time; the last columns one at a time in the same k order.
    private static func scaledRowSums(_ a: UnsafePointer<Float>, count: Int, _ first: Int, _ g: GEMMOperands) {
        let lanes = Vector.scalarCount, width = 2 * lanes, k = g.k
        var j = 0
        while j + width <= g.n {
            var low = (Vector(), Vector(), Vector(), Vector()), high = low
            for p in 0..<k {
                let r = g.b + j + p * g.ldb, y0 = load(r), y1 = load(r + lanes)
                let x0 = Vector(repeating: a[p])
                low.0 = low.0.multiplyAdding(x0, y0)
                high.0 = high.0.multiplyAdding(x0, y1)
                if count > 1 {
                    let x = Vector(repeating: a[k + p])
                    low.1 = low.1.multiplyAdding(x, y0)
                    high.1 = high.1.multiplyAdding(x, y1)
                }
                if count > 2 {
                    let x = Vector(repeating: a[2 * k + p])
                    low.2 = low.2.multiplyAdding(x, y0)
                    high.2 = high.2.multiplyAdding(x, y1)
                }
                if count > 3 {
                    let x = Vector(repeating: a[3 * k + p])
                    low.3 = low.3.multiplyAdding(x, y0)
                    high.3 = high.3.multiplyAdding(x, y1)
                }
            }
            for r in 0..<count {
                let (v0, v1) = r == 0 ? (low.0, high.0) : r == 1 ? (low.1, high.1) : r == 2 ? (low.2, high.2) : (low.3, high.3)
                for l in 0..<lanes {
                    store(v0[l], g, first + r, j + l)
                    store(v1[l], g, first + r, j + lanes + l)
                }
            }
            j += width
        }
        for column in j..<g.n {
            for r in 0..<count {
                var sum: Float = 0
                for p in 0..<k { sum = sum.multiplyAdding(a[r * k + p], g.b[column + p * g.ldb]) }
                store(sum, g, first + r, column)
            }
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }
}
