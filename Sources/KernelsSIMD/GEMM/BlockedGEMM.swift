import KernelsCore

/// The blocked GEMM on one block of C, on the calling thread: BLIS's loop
/// nest with the k loop outside the n loop, so that a slab of A is packed once
/// per KC slice however many NC blocks n has.
///
/// Loops 6…1 are numbered as in Docs/Architecture.md; loop 0 is inside the
/// micro-kernel. The caller provides the packing memory (see
/// `workspaceFloats(for:)`), so a call allocates nothing.
struct BlockedGEMM<Kernel: StridedMicroKernel>: GEMMDriver {
    static var packsBothOperands: Bool { true }

    let blocking: GEMMBlocking

    /// Uses `blocking` with MC and NC rounded up to whole micro-tiles and MS to
    /// whole MC blocks, so that blocks always start on a tile boundary.
    init(blocking: GEMMBlocking) {
        let mc = roundUp(blocking.mc, to: Kernel.mr)
        self.blocking = GEMMBlocking(
            mc: mc, kc: blocking.kc, nc: roundUp(blocking.nc, to: Kernel.nr), ms: roundUp(blocking.ms, to: mc))
    }

    private func packedASize(m: Int, k: Int) -> Int {
        roundUp(roundUp(min(blocking.ms, m), to: Kernel.mr) * min(blocking.kc, k), to: 16)
    }

    private func packedBSize(n: Int, k: Int) -> Int {
        roundUp(roundUp(min(blocking.nc, n), to: Kernel.nr) * min(blocking.kc, k), to: 16)
    }

    /// A packed A slab, a packed B block and one scratch tile, each starting
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

        let msStep = evenBlock(g.m, limit: blocking.ms, unit: blocking.mc)
        let kcStep = evenBlock(g.k, limit: blocking.kc, unit: 1)
        let ncStep = evenBlock(g.n, limit: blocking.nc, unit: nr)

        // loop 6: split m into MS-row slabs.
        for slab in stride(from: 0, to: g.m, by: msStep) {
            let ms = min(msStep, g.m - slab)
            // loop 5: split k into KC-deep slices; only the first one scales C by β,
            // only the last one applies the epilogue.
            for pc in stride(from: 0, to: g.k, by: kcStep) {
                let kc = min(kcStep, g.k - pc)
                let beta = pc == 0 ? g.beta : 1
                let isLastSlice = pc + kc == g.k
                packA(g, rows: slab, count: ms, depth: pc, count: kc, mr: mr, into: packedA)
                // loop 4: split n into NC-column blocks.
                for jc in stride(from: 0, to: g.n, by: ncStep) {
                    let nc = min(ncStep, g.n - jc)
                    packB(g, depth: pc, count: kc, columns: jc, count: nc, nr: nr, into: packedB)
                    // loop 3: split the slab into MC-row blocks (whole MR panels of
                    // the packed slab).
                    for ic in stride(from: slab, to: slab + ms, by: blocking.mc) {
                        let mc = min(blocking.mc, slab + ms - ic)
                        let block = packedA + (ic - slab) * kc
                        // loop 2: split the block's columns into NR-wide micro-panels.
                        for jr in stride(from: 0, to: nc, by: nr) {
                            let columns = min(nr, nc - jr)
                            let b = packedB + jr * kc
                            // loop 1: split the block's rows into MR-tall micro-panels.
                            for ir in stride(from: 0, to: mc, by: mr) {
                                let rows = min(mr, mc - ir)
                                let a = block + ir * kc
                                let c = g.c + (ic + ir) + (jc + jr) * g.ldc
                                switch (rows == mr, columns == nr) {
                                case (true, true):
                                    Kernel.multiply(k: kc, a: a, b: b, beta: beta, c: c, ldc: g.ldc)
                                case (true, false):
                                    Kernel.multiply(
                                        columns: columns, k: kc, a: a, aStride: mr, b: b, bRowStride: nr,
                                        bColumnStride: 1, alpha: 1, beta: beta, c: c, ldc: g.ldc)
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
                                    row: ic, column: jc + jr, rows: mc, columns: columns,
                                    c: g.c + ic + (jc + jr) * g.ldc, ldc: g.ldc)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The block size that cuts `count` into as few blocks of at most `limit` as
/// possible, of near-equal size, in multiples of `unit` (of which `limit` is
/// a multiple): m = 4200 with MS = 4128 becomes two slabs of 2112 and 2088
/// rows, not 4128 and a 72-row slab that packs all of B again for 2% of the
/// work (Docs/GEMM.md, "Block sizes, from the caches").
func evenBlock(_ count: Int, limit: Int, unit: Int) -> Int {
    let blocks = max(1, (count + limit - 1) / limit)
    return roundUp((count + blocks - 1) / blocks, to: unit)
}
