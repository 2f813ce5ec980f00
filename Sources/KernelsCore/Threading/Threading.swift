import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thread counts and parallel regions for the kernels.
///
/// Every kernel splits its output into disjoint pieces, one owner per
/// element, and the pieces depend on the thread count only, never on which
/// threads run them: results are bitwise identical whatever the thread count.
/// Threads come from `DispatchQueue.concurrentPerform`, one region at a time
/// (``withParallelRegion(threads:_:)``).
public enum Threading {
    private static let configured = Atomic<Int>(0)

    /// The number of online processors of this machine.
    public static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The default number of threads for kernels that run in parallel.
    ///
    /// Initially the number of processors. Setting a value below 1 restores
    /// that default. A per-call `threads:` argument overrides it.
    public static var threadCount: Int {
        get {
            let value = configured.load(ordering: .relaxed)
            return value > 0 ? value : processorCount
        }
        set { configured.store(max(0, newValue), ordering: .relaxed) }
    }

    /// Runs `body` in a parallel region: every kernel that `body` calls on
    /// this thread (GEMMs, elementwise passes, training steps) shares the
    /// region's threads instead of waking threads of its own.
    ///
    /// The region takes at most `min(threads, processorCount)` threads from
    /// `DispatchQueue.concurrentPerform`, for as long as `body` runs; `body`
    /// runs on one of them (usually, but not always, the calling thread), and
    /// the others wait between the kernels' parallel phases. Open one around
    /// a loop of many short calls (`Trainer.step` in a loop; `fit` opens its
    /// own): waking sleeping threads costs 100–300 µs on small VMs, a phase
    /// inside a region about a microsecond. Inside another region, `body`
    /// simply runs in that one. Results do not depend on the region.
    ///
    /// - Parameter threads: the most threads to use; `nil` uses ``threadCount``.
    /// - Parameter body: the work, run once, on one of the region's threads.
    public static func withParallelRegion<R, E: Error>(threads: Int? = nil, _ body: () throws(E) -> R) throws(E) -> R {
        try ParallelRegion.open(threads: threads ?? threadCount, body)
    }

    /// Runs `job.run(0) … job.run(pieces − 1)` on up to `threads` threads:
    /// in the calling thread's region when it leads one, in a new region of
    /// its own otherwise, and on the calling thread alone for one thread or
    /// one piece. Returns when every piece has finished.
    package static func parallelFor<Job: ParallelJob>(_ pieces: Int, threads: Int, _ job: Job) {
        if pieces <= 1 || threads <= 1 {
            for i in 0..<pieces { job.run(i) }
        } else if let region = ParallelRegion.current {
            region.run(pieces, job)
        } else {
            ParallelRegion.open(threads: threads) { ParallelRegion.current!.run(pieces, job) }
        }
    }

    /// ``parallelFor(_:threads:_:)`` with a closure, for callers outside the
    /// hot paths.
    package static func parallelFor(_ pieces: Int, threads: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { parallelFor(pieces, threads: threads, ClosureJob(body: $0)) }
    }
}

/// Splits `count` elements into one contiguous run per thread (multiples of
/// 64 floats, so no two threads share a cache line) when each gets at least
/// `minimumPerWorker`; otherwise runs `body(0..<count)` on the calling thread.
package func parallelRanges(count: Int, threads: Int, minimumPerWorker: Int, _ body: (Range<Int>) -> Void) {
    let workers = max(1, min(threads, count / max(1, minimumPerWorker)))
    if workers == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let chunk = roundUp((count + workers - 1) / workers, to: 64)
    Threading.parallelFor(workers, threads: workers) { worker in
        let lower = min(count, worker * chunk), upper = min(count, lower + chunk)
        if lower < upper { body(lower..<upper) }
    }
}
