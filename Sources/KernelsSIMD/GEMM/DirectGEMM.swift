import KernelsCore

/// The GEMM for small and skinny products, where packing would cost as much as
/// the arithmetic: the strided micro-kernel reads op(B) in place, and op(A) too
/// unless A is transposed. Only what the kernel cannot read in place is packed:
/// the whole of op(A) when A is transposed (its rows are not contiguous in m),
/// and the last partial MR rows. The last partial NR columns of op(B) are read
/// in place too, by the kernel cut to their width.
///
/// There is no cache blocking: the direct path is chosen only for products
/// whose operands fit in L2 (see `SGEMM.swift`). Loops are numbered as in
/// `BlockedGEMM`.
struct DirectGEMM<Kernel: StridedMicroKernel>: GEMMDriver {
    static var packsBothOperands: Bool { false }

    private func packedARows(_ g: GEMMOperands) -> Int {
        g.transA == .transpose ? roundUp(g.m, to: Kernel.mr) : Kernel.mr
    }

    /// Packed A (all of op(A), or its last partial rows) and one scratch tile.
    func workspaceFloats(for g: GEMMOperands) -> Int {
        roundUp(packedARows(g) * g.k, to: 16) + roundUp(Kernel.mr * Kernel.nr, to: 16)
    }

    func run(_ g: GEMMOperands, workspace: UnsafeMutablePointer<Float>) {
        let mr = Kernel.mr, nr = Kernel.nr
        let packedA = workspace
        let tile = packedA + roundUp(packedARows(g) * g.k, to: 16)
        let fullRows = g.m / mr * mr

        // Where the kernel finds column p of A's micro-panel starting at row ir.
        let aInPlace = g.transA == .noTranspose
        if aInPlace {
            if fullRows < g.m {
                packA(g, rows: fullRows, count: g.m - fullRows, depth: 0, count: g.k, mr: mr, into: packedA)
            }
        } else {
            packA(g, rows: 0, count: g.m, depth: 0, count: g.k, mr: mr, into: packedA)
        }
        func aPanel(_ ir: Int) -> (UnsafePointer<Float>, Int) {
            if aInPlace && ir < fullRows { return (g.a + ir, g.lda) }
            return (UnsafePointer(packedA + (aInPlace ? 0 : ir * g.k)), mr)
        }
        let (bRows, bColumns) = g.transB == .noTranspose ? (1, g.ldb) : (g.ldb, 1)

        // loop 2: NR-column micro-panels of op(B), read in place.
        for jr in stride(from: 0, to: g.n, by: nr) {
            let columns = min(nr, g.n - jr)
            let b = g.b + jr * bColumns
            // loop 1: MR-row micro-panels of op(A).
            for ir in stride(from: 0, to: g.m, by: mr) {
                let rows = min(mr, g.m - ir)
                let (a, aStride) = aPanel(ir)
                let c = g.c + ir + jr * g.ldc
                switch (rows == mr, columns == nr) {
                case (true, true):
                    Kernel.multiply(
                        k: g.k, a: a, aStride: aStride, b: b, bRowStride: bRows, bColumnStride: bColumns,
                        alpha: g.alpha, beta: g.beta, c: c, ldc: g.ldc)
                case (true, false):
                    Kernel.multiply(
                        columns: columns, k: g.k, a: a, aStride: aStride, b: b, bRowStride: bRows, bColumnStride: bColumns,
                        alpha: g.alpha, beta: g.beta, c: c, ldc: g.ldc)
                case (false, _):
                    Kernel.multiplyEdgeRows(
                        rows: rows, columns: columns, k: g.k, a: a, aStride: aStride, b: b, bRowStride: bRows,
                        bColumnStride: bColumns, alpha: g.alpha, beta: g.beta, tile: tile, c: c, ldc: g.ldc)
                }
            }
            // The finished column panel (m × NR, in L1) goes through the epilogue.
            g.epilogue.apply(row: 0, column: jr, rows: g.m, columns: columns, c: g.c + jr * g.ldc, ldc: g.ldc)
        }
    }
}
