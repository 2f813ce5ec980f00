/// Splits C into one disjoint (rows × columns) block per worker and runs the
/// blocked GEMM on each block in parallel.
///
/// Blocks are cut on micro-tile boundaries (multiples of MR rows and NR
/// columns) and never along k, and every element's sum is formed by the same
/// kernel in the same order whichever block holds it: the result is bitwise
/// identical for any thread count.
struct ParallelGEMM<Kernel: MicroKernel> {
    let driver: BlockedGEMM<Kernel>

    /// The smallest amount of work, in flops, worth waking another thread for.
    static var minimumFlopsPerWorker: Int { 1 << 22 }

    func run(_ g: GEMMOperands, threads: Int) {
        let mTiles = (g.m + Kernel.mr - 1) / Kernel.mr
        let nTiles = (g.n + Kernel.nr - 1) / Kernel.nr
        let flops = 2 * g.m * g.n * g.k
        let workers = max(1, min(threads, flops / Self.minimumFlopsPerWorker, mTiles * nTiles))
        let (rowParts, columnParts) = Self.partition(workers: workers, mTiles: mTiles, nTiles: nTiles)
        let blockRows = (mTiles + rowParts - 1) / rowParts * Kernel.mr
        let blockColumns = (nTiles + columnParts - 1) / columnParts * Kernel.nr
        let floatsPerWorker = driver.workspaceFloats(m: blockRows, n: blockColumns, k: g.k)

        GEMMWorkspace.withMemory(count: workers * floatsPerWorker) { memory in
            Threading.parallelFor(workers) { worker in
                let rows = Self.share(worker % rowParts, of: rowParts, tiles: mTiles, unit: Kernel.mr, count: g.m)
                let columns = Self.share(worker / rowParts, of: columnParts, tiles: nTiles, unit: Kernel.nr, count: g.n)
                guard !rows.isEmpty, !columns.isEmpty else { return }
                driver.run(g.block(rows: rows, columns: columns), workspace: memory + worker * floatsPerWorker)
            }
        }
    }

    /// The factorization `rowParts × columnParts = workers` that gives the
    /// busiest worker the fewest micro-tiles, preferring to split rows (then
    /// the workers share no packed A).
    static func partition(workers: Int, mTiles: Int, nTiles: Int) -> (Int, Int) {
        var best = (workers, 1)
        var bestLoad = Int.max
        for rowParts in stride(from: workers, through: 1, by: -1) where workers % rowParts == 0 {
            let columnParts = workers / rowParts
            let load = ((mTiles + rowParts - 1) / rowParts) * ((nTiles + columnParts - 1) / columnParts)
            if load < bestLoad { best = (rowParts, columnParts); bestLoad = load }
        }
        return best
    }

    /// Part `part` of `parts` near-equal runs of whole tiles, as an element range.
    static func share(_ part: Int, of parts: Int, tiles: Int, unit: Int, count: Int) -> Range<Int> {
        let lower = min(count, part * tiles / parts * unit)
        let upper = min(count, (part + 1) * tiles / parts * unit)
        return lower..<upper
    }
}
