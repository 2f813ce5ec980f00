import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The thread count the parallel kernels use by default.
///
/// Every kernel splits its output into disjoint blocks, one owner per element,
/// so results are bitwise identical whatever the thread count; the count only
/// changes the speed.
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

    /// Runs `body(0) … body(iterations − 1)` on the calling thread and the
    /// pool's workers (``WorkerPool``), returning when all have finished; on
    /// the calling thread alone when there is only one iteration.
    ///
    /// Every caller gives each iteration a disjoint region of memory to write
    /// and reads only memory no iteration writes, so the order in which the
    /// iterations run never changes a result.
    static func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
        if iterations <= 1 {
            if iterations == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { WorkerPool.shared.run(iterations, ClosureJob(body: $0)) }
    }
}
