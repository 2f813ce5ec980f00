import KernelsCore

// Packing copies a block of op(A) or op(B) into the contiguous micro-panel
// layouts the micro-kernel streams through (Docs/GEMM.md, "Packed layouts").
// The packers absorb the transposes, the leading dimensions and α, and pad the
// last micro-panel with zeros so that edge tiles run the same kernel.

/// Packs rows `i0 ..< i0 + mc` and columns `p0 ..< p0 + kc` of op(A) into
/// `ceil(mc / mr)` micro-panels of `kc` columns × `mr` contiguous rows.
func packA(
    _ g: GEMMOperands, rows i0: Int, count mc: Int, depth p0: Int, count kc: Int,
    mr: Int, into dst: UnsafeMutablePointer<Float>
) {
    if g.transA == .noTranspose {
        // Column p of the block is contiguous in A. It is read once, front to
        // back, and dealt out to every panel (MR floats each, MR a multiple
        // of 8, with vectors; the last panel's rows past mc are zeros): a run
        // the prefetcher follows, where walking one panel down all kc columns
        // read one MR-float piece per column, one cache line for MR = 16
        // (Docs/Experiments.md, "The column walk for a transposed B").
        let fullRows = mc / mr * mr
        for p in 0..<kc {
            let column = g.a + i0 + (p0 + p) * g.lda
            var out = dst + p * mr
            for row in stride(from: 0, to: fullRows, by: mr) {
                for i in stride(from: 0, to: mr, by: 8) {
                    let v = UnsafeRawPointer(column + row + i).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(out + i).storeBytes(of: v, as: SIMD8<Float>.self)
                }
                out += mr * kc
            }
            if fullRows < mc {
                for i in 0..<mr { out[i] = fullRows + i < mc ? column[fullRows + i] : 0 }
            }
        }
        return
    }
    // Row i of op(A) is column i of A: contiguous in p. Blocks of 8 rows × 8
    // depths go through registers (8 vector loads, an 8 × 8 transpose, 8
    // vector stores), a last group of fewer than 8 rows padded with zero
    // vectors; depths past the last multiple of 8 element by element; rows
    // past the last group of 8 are zeroed as contiguous runs.
    var panel = dst
    for ir in stride(from: 0, to: mc, by: mr) {
        let rows = min(mr, mc - ir)
        let src = g.a + p0 + (i0 + ir) * g.lda
        let fullDepth = kc / 8 * 8
        for i in stride(from: 0, to: rows, by: 8) {
            let valid = min(8, rows - i)
            for p in stride(from: 0, to: fullDepth, by: 8) {
                storeRows(transpose8x8(from: src + i * g.lda + p, stride: g.lda, columns: valid), to: panel + p * mr + i, stride: mr)
            }
            for p in fullDepth..<kc {
                for r in 0..<8 { panel[p * mr + i + r] = r < valid ? src[p + (i + r) * g.lda] : 0 }
            }
        }
        let groups = roundUp(rows, to: 8)
        if groups < mr {
            for p in 0..<kc { (panel + p * mr + groups).update(repeating: 0, count: mr - groups) }
        }
        panel += mr * kc
    }
}

/// Packs α times rows `p0 ..< p0 + kc` and columns `j0 ..< j0 + nc` of op(B)
/// into `ceil(nc / nr)` micro-panels of `kc` rows × `nr` contiguous columns.
func packB(
    _ g: GEMMOperands, depth p0: Int, count kc: Int, columns j0: Int, count nc: Int,
    nr: Int, into dst: UnsafeMutablePointer<Float>
) {
    let alpha = g.alpha
    var panel = dst
    for jr in stride(from: 0, to: nc, by: nr) {
        let columns = min(nr, nc - jr)
        if g.transB == .noTranspose {
            // Column j of op(B) is contiguous in p. Groups of 8 panel columns ×
            // 8 depths go through an 8 × 8 register transpose into 8 rows of
            // the panel (fewer columns in the last group of a panel whose NR
            // is not a multiple of 8; zeros past the last column of B); depths
            // past the last multiple of 8 element by element.
            let src = g.b + p0 + (j0 + jr) * g.ldb
            let fullDepth = kc / 8 * 8
            for j in stride(from: 0, to: nr, by: 8) {
                let width = min(8, nr - j), valid = max(0, min(width, columns - j))
                for p in stride(from: 0, to: fullDepth, by: 8) {
                    let rows = transpose8x8(from: src + j * g.ldb + p, stride: g.ldb, columns: valid)
                    storeRows(rows, scaledBy: alpha, width: width, to: panel + p * nr + j, stride: nr)
                }
                for p in fullDepth..<kc {
                    for c in 0..<width { panel[p * nr + j + c] = c < valid ? alpha * src[p + (j + c) * g.ldb] : 0 }
                }
            }
        } else {
            // Row p of op(B) is column p of B: contiguous in j.
            var src = g.b + (j0 + jr) + p0 * g.ldb
            for p in 0..<kc {
                let out = panel + p * nr
                for j in 0..<columns { out[j] = alpha * src[j] }
                for j in columns..<nr { out[j] = 0 }
                src += g.ldb
            }
        }
        panel += nr * kc
    }
}

/// The 8 × 8 block whose column c is the 8 contiguous floats at
/// `source + c·sourceStride`, transposed: row r of the result holds element r
/// of every column. Only the first `columns` columns are read; the others
/// count as zeros. (The element-by-element loops it replaces read or wrote
/// with a stride and cost 8 instructions per float: 45% of a small TN product.)
@inline(__always)
func transpose8x8(
    from source: UnsafePointer<Float>, stride sourceStride: Int, columns: Int
) -> EightRows {
    typealias V = SIMD8<Float>
    func column(_ c: Int) -> V {
        c < columns ? UnsafeRawPointer(source + c * sourceStride).loadUnaligned(as: V.self) : V()
    }
    let (c0, c1, c2, c3, c4, c5, c6, c7) = (column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7))
    func row(_ r: Int) -> V { V(c0[r], c1[r], c2[r], c3[r], c4[r], c5[r], c6[r], c7[r]) }
    return (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
}

/// Eight rows of 8 floats: an 8 × 8 block in registers.
typealias EightRows = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

/// Stores the eight rows `rows` at `destination + r·stride` (8 floats each).
@inline(__always)
func storeRows(
    _ rows: EightRows,
    to destination: UnsafeMutablePointer<Float>, stride: Int
) {
    func put(_ row: SIMD8<Float>, _ r: Int) {
        UnsafeMutableRawPointer(destination + r * stride).storeBytes(of: row, as: SIMD8<Float>.self)
    }
    put(rows.0, 0)
    put(rows.1, 1)
    put(rows.2, 2)
    put(rows.3, 3)
    put(rows.4, 4)
    put(rows.5, 5)
    put(rows.6, 6)
    put(rows.7, 7)
}

/// Stores the first `width` floats of `scale` times each of the eight rows
/// `rows` at `destination + r·stride`.
@inline(__always)
func storeRows(
    _ rows: EightRows,
    scaledBy scale: Float, width: Int, to destination: UnsafeMutablePointer<Float>, stride: Int
) {
    func put(_ row: SIMD8<Float>, _ r: Int) {
        let out = destination + r * stride, scaled = scale * row
        if width == 8 {
            UnsafeMutableRawPointer(out).storeBytes(of: scaled, as: SIMD8<Float>.self)
        } else {
            for c in 0..<width { out[c] = scaled[c] }
        }
    }
    put(rows.0, 0)
    put(rows.1, 1)
    put(rows.2, 2)
    put(rows.3, 3)
    put(rows.4, 4)
    put(rows.5, 5)
    put(rows.6, 6)
    put(rows.7, 7)
}
