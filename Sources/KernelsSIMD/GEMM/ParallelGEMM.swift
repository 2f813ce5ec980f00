import KernelsCore

/// Splits C into disjoint (rows × columns) blocks (one per thread, or four per
/// thread for small products) and runs the blocked GEMM on them in parallel.
///
/// Blocks are cut on micro-tile boundaries (multiples of MR rows and NR
/// columns) and never along k, and every element's sum is formed by the same
/// kernel in the same order whichever block holds it: the result is bitwise
/// identical for any thread count.
struct ParallelGEMM<Driver: GEMMDriver> {
    let driver: Driver

    /// The smallest amount of work, in flops, worth handing to another thread
    /// (Docs/GEMM.md, "Threading").
    static var minimumFlopsPerWorker: Int { 1 << 21 }

    /// Below this much work per thread, C is cut into 4 blocks per thread, so
    /// that the caller takes over the blocks of a worker that starts late
    /// (Docs/GEMM.md, "Threading").
    static var flopsPerThreadForOneBlock: Int { 1 << 24 }

    func run(_ g: GEMMOperands, threads: Int) {
        let mTiles = (g.m + Driver.Kernel.mr - 1) / Driver.Kernel.mr
        let nTiles = (g.n + Driver.Kernel.nr - 1) / Driver.Kernel.nr
        let flops = 2 * g.m * g.n * g.k
        let threadsUsed = max(1, min(threads, flops / Self.minimumFlopsPerWorker, mTiles * nTiles))
        if threadsUsed == 1 {
            // One block on the calling thread: no partition, no job.
            GEMMWorkspace.withMemory(count: driver.workspaceFloats(for: g)) { runBlock(g, workspace: $0) }
            return
        }
        let blocksPerThread = flops / threadsUsed < Self.flopsPerThreadForOneBlock ? 4 : 1
        let blocks = min(blocksPerThread * threadsUsed, mTiles * nTiles)
        let (rowParts, columnParts) = Self.partition(workers: blocks, mTiles: mTiles, nTiles: nTiles)
        let blockRows = (mTiles + rowParts - 1) / rowParts * Driver.Kernel.mr
        let blockColumns = (nTiles + columnParts - 1) / columnParts * Driver.Kernel.nr
        var largestBlock = g
        largestBlock.m = min(g.m, blockRows)
        largestBlock.n = min(g.n, blockColumns)
        let floatsPerBlock = driver.workspaceFloats(for: largestBlock)

        GEMMWorkspace.withMemory(count: blocks * floatsPerBlock) { memory in
            let job = Job(
                gemm: self, g: g, memory: memory, floatsPerBlock: floatsPerBlock,
                rowParts: rowParts, columnParts: columnParts, mTiles: mTiles, nTiles: nTiles)
            Threading.parallelFor(blocks, threads: threadsUsed, job)
        }
    }

    /// One block of C: a value, so that handing it to a region's threads
    /// allocates nothing.
    struct Job: ParallelJob {
        let gemm: ParallelGEMM, g: GEMMOperands, memory: UnsafeMutablePointer<Float>, floatsPerBlock: Int
        let rowParts: Int, columnParts: Int, mTiles: Int, nTiles: Int

        func run(_ block: Int) {
            let rows = ParallelGEMM.share(block % rowParts, of: rowParts, tiles: mTiles, unit: Driver.Kernel.mr, count: g.m)
            let columns = ParallelGEMM.share(block / rowParts, of: columnParts, tiles: nTiles, unit: Driver.Kernel.nr, count: g.n)
            guard !rows.isEmpty, !columns.isEmpty else { return }
            gemm.runBlock(g.block(rows: rows, columns: columns), workspace: memory + block * floatsPerBlock)
        }
    }

    /// Runs the driver on one block of C. A backward (⊙ f′) epilogue on a
    /// product shallower than `minimumDepthForFusedDerivative` is applied to
    /// the whole block after its product instead of tile by tile: the tile is
    /// formed in a few steps, and reading z and a in tile-sized pieces cost
    /// more than one pass (128 × 128 × 10, 1 thread, Zen 3: 11.4 µs fused
    /// against 9.9 µs, Docs/Experiments.md). Same bits either way.
    func runBlock(_ g: GEMMOperands, workspace: UnsafeMutablePointer<Float>) {
        guard g.epilogue.isDerivative, g.k < Self.minimumDepthForFusedDerivative else {
            driver.run(g, workspace: workspace)
            return
        }
        var product = g
        product.epilogue = .none
        driver.run(product, workspace: workspace)
        g.epilogue.apply(row: 0, column: 0, rows: g.m, columns: g.n, c: g.c, ldc: g.ldc)
    }

    /// The depth k below which a backward epilogue is not fused per tile;
    /// from k = 64 up, fusing was never slower.
    static var minimumDepthForFusedDerivative: Int { 32 }

    /// The factorization `rowParts × columnParts = workers` that gives the
    /// busiest worker the least work: its micro-tiles' multiply-adds
    /// (MR·NR per tile and step of k) and, when the driver packs both
    /// operands, the floats it packs (its rows and its columns of op(A) and
    /// op(B), per step of k), each counted as `packingCost` multiply-adds.
    /// Ties prefer splitting rows (then the workers share no packed A).
    ///
    /// Every worker of a row split packs all of op(B): for a short, wide C
    /// (a batch of 128 samples through a 784 → 256 layer) a column split packs
    /// a fifth less and measured 104–107 GFLOP/s (median) on 2 threads
    /// against 61–93 for the row split (Zen 3, Docs/GEMM.md, "Threading").
    static func partition(workers: Int, mTiles: Int, nTiles: Int) -> (Int, Int) {
        var best = (workers, 1)
        var bestCost = Int.max
        for rowParts in stride(from: workers, through: 1, by: -1) where workers % rowParts == 0 {
            let columnParts = workers / rowParts
            let rowTiles = (mTiles + rowParts - 1) / rowParts, columnTiles = (nTiles + columnParts - 1) / columnParts
            var cost = rowTiles * columnTiles * Driver.Kernel.mr * Driver.Kernel.nr
            if Driver.packsBothOperands {
                cost += packingCost * (rowTiles * Driver.Kernel.mr + columnTiles * Driver.Kernel.nr)
            }
            if cost < bestCost {
                best = (rowParts, columnParts)
                bestCost = cost
            }
        }
        return best
    }

    /// Multiply-adds one packed float costs: packing moves about one float a
    /// cycle, and the micro-kernel does about MR multiply-adds a cycle (two
    /// vectors of MR/2 lanes: 16 for the AVX2 kernel, 32 for AVX-512's).
    static var packingCost: Int { Driver.Kernel.mr }

    /// Part `part` of `parts` near-equal runs of whole tiles, as an element range.
    static func share(_ part: Int, of parts: Int, tiles: Int, unit: Int, count: Int) -> Range<Int> {
        let lower = min(count, part * tiles / parts * unit)
        let upper = min(count, (part + 1) * tiles / parts * unit)
        return lower..<upper
    }
}

/// A single-threaded GEMM on one block of C, run by `ParallelGEMM` on each block.
protocol GEMMDriver {
    associatedtype Kernel: MicroKernel
    /// Whether each block packs its rows of op(A) and its columns of op(B)
    /// (the packed path); the direct path reads them in place.
    static var packsBothOperands: Bool { get }
    /// Floats of 64-byte aligned scratch memory `run` needs for `g`.
    func workspaceFloats(for g: GEMMOperands) -> Int
    /// Computes `C ← α·op(A)·op(B) + β·C` for `g` using `workspace`.
    func run(_ g: GEMMOperands, workspace: UnsafeMutablePointer<Float>)
}
