/// The BLIS five-loop GEMM on one block of C, on the calling thread.
///
/// Loops 5…1 are numbered as in Docs/GEMM.md; loop 0 is inside the
/// micro-kernel. The caller provides the packing memory (see
/// `workspaceFloats(m:n:k:)`), so a call allocates nothing.
struct BlockedGEMM<Kernel: StridedMicroKernel>: GEMMDriver {
    let blocking: GEMMBlocking

    /// Uses `blocking` with MC and NC rounded up to whole micro-tiles, so that
    /// blocks always start on a tile boundary.
    init(blocking: GEMMBlocking) {
        self.blocking = GEMMBlocking(
            mc: roundUp(blocking.mc, to: Kernel.mr), kc: blocking.kc, nc: roundUp(blocking.nc, to: Kernel.nr))
    }

    private func packedASize(m: Int, k: Int) -> Int {
        roundUp(roundUp(min(blocking.mc, m), to: Kernel.mr) * min(blocking.kc, k), to: 16)
    }

    private func packedBSize(n: Int, k: Int) -> Int {
        roundUp(roundUp(min(blocking.nc, n), to: Kernel.nr) * min(blocking.kc, k), to: 16)
    }

    /// A packed A block, a packed B block and one scratch tile, each starting
    /// on a 64-byte boundary.
    func workspaceFloats(for g: GEMMOperands) -> Int {
        packedASize(m: g.m, k: g.k) + packedBSize(n: g.n, k: g.k) + roundUp(Kernel.mr * Kernel.nr, to: 16)
    }

    /// Computes `C ← α·op(A)·op(B) + β·C` for `g`, using `workspace` (64-byte
    /// aligned, at least `workspaceFloats(for: g)` floats).
    func run(_ g: GEMMOperands, workspace: UnsafeMutablePointer<Float>) {
        let mr = Kernel.mr, nr = Kernel.nr
        let packedA = workspace
        let packedB = packedA + packedASize(m: g.m, k: g.k)
        let tile = packedB + packedBSize(n: g.n, k: g.k)

        let ncStep = evenBlock(g.n, limit: blocking.nc, unit: nr)
        let kcStep = evenBlock(g.k, limit: blocking.kc, unit: 1)

        // loop 5: split n into NC-column blocks.
        for jc in stride(from: 0, to: g.n, by: ncStep) {
            let nc = min(ncStep, g.n - jc)
            // loop 4: split k into KC-deep blocks; only the first one scales C by β,
            // only the last one applies the epilogue.
            for pc in stride(from: 0, to: g.k, by: kcStep) {
                let kc = min(kcStep, g.k - pc)
                let beta = pc == 0 ? g.beta : 1
                let isLastSlice = pc + kc == g.k
                packB(g, depth: pc, count: kc, columns: jc, count: nc, nr: nr, into: packedB)
                // loop 3: split m into MC-row blocks.
                for ic in stride(from: 0, to: g.m, by: blocking.mc) {
                    let mc = min(blocking.mc, g.m - ic)
                    packA(g, rows: ic, count: mc, depth: pc, count: kc, mr: mr, into: packedA)
                    // loop 2: split the block's columns into NR-wide micro-panels.
                    for jr in stride(from: 0, to: nc, by: nr) {
                        let columns = min(nr, nc - jr)
                        let b = packedB + jr * kc
                        // loop 1: split the block's rows into MR-tall micro-panels.
                        for ir in stride(from: 0, to: mc, by: mr) {
                            let rows = min(mr, mc - ir)
                            let a = packedA + ir * kc
                            let c = g.c + (ic + ir) + (jc + jr) * g.ldc
                            switch (rows == mr, columns == nr) {
                            case (true, true):
                                Kernel.multiply(k: kc, a: a, b: b, beta: beta, c: c, ldc: g.ldc)
                            case (true, false):
                                Kernel.multiply(
                                    columns: columns, k: kc, a: a, aStride: mr, b: b, bRowStride: nr, bColumnStride: 1,
                                    alpha: 1, beta: beta, c: c, ldc: g.ldc)
                            case (false, _):
                                Kernel.multiplyEdgeRows(
                                    rows: rows, columns: columns, k: kc, a: a, aStride: mr, b: b, bRowStride: nr,
                                    bColumnStride: 1, alpha: 1, beta: beta, tile: tile, c: c, ldc: g.ldc)
                            }
                        }
                        // After the last KC slice, the finished MC × NR panel (in L1)
                        // goes through the epilogue.
                        if isLastSlice {
                            g.epilogue.apply(
                                row: ic, column: jc + jr, rows: mc, columns: columns, c: g.c + ic + (jc + jr) * g.ldc, ldc: g.ldc)
                        }
                    }
                }
            }
        }
    }
}

/// The block size that cuts `count` into as few blocks of at most `limit` as
/// possible, of near-equal size, in multiples of `unit` (of which `limit` is
/// a multiple):
/// n = 4096 with NC = 4092 becomes two blocks of 2052 columns, not 4092 and a
/// 4-column block that packs all of A again for 0.1% of the work (measured
/// 0.92–0.95× → 0.96–1.00× OpenBLAS at n = 4096 in three alternating runs).
func evenBlock(_ count: Int, limit: Int, unit: Int) -> Int {
    let blocks = max(1, (count + limit - 1) / limit)
    return roundUp((count + blocks - 1) / blocks, to: unit)
}
