import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent worker threads for the parallel kernels: `Threading.parallelFor`
/// runs on them instead of waking Grand Central Dispatch threads, because on
/// the 2-vCPU machine of Docs/Performance.md each `concurrentPerform` cost
/// tens of microseconds and allocated on the heap (12.5 allocations per
/// training step of network B).
///
/// Workers spin for a few milliseconds after each job before sleeping on a
/// condition variable, so back-to-back jobs (the GEMMs of one training step)
/// start within a microsecond. One job runs at a time; a caller that finds the
/// pool busy runs its iterations itself, which gives the same result because
/// every iteration writes memory of its own.
///
/// A job is a value of a `ParallelJob` type, reached by the workers through a
/// pointer to the caller's stack and a context-free trampoline: unlike a
/// closure handed to another thread, this allocates nothing.
///
/// This is the package's second audited `@unchecked Sendable`: `job`,
/// `trampoline` and `iterations` are written only by the caller holding
/// `busy`, before the release-ordered `generation` bump that workers acquire,
/// and stay valid until every worker has checked out (`unfinished` reaches 0),
/// before `run` returns; everything else is atomic or guarded by `lock`.
final class WorkerPool: @unchecked Sendable {
    /// One worker fewer than processors: the caller works too.
    static let shared = WorkerPool(workers: Threading.processorCount - 1)

    let workers: Int
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let done: UnsafeMutablePointer<pthread_cond_t>
    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private var job: UnsafeRawPointer?
    private var trampoline: (UnsafeRawPointer, Int) -> Void = { _, _ in }
    private var iterations = 0

    /// Atomic loads a worker (or a waiting caller) spins through before it
    /// sleeps: a few milliseconds. Waking a sleeping thread took hundreds of
    /// microseconds on this VM; with a 100 µs spin a training step of network
    /// B on 2 threads took 3.2 ms, with this one 1.3 ms (1 thread: 1.7 ms).
    private static let spinLimit = 4_000_000

    private init(workers: Int) {
        self.workers = max(0, workers)
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        done = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
        for _ in 0..<self.workers { startWorker() }
    }

    /// Runs `job.run(0) … job.run(iterations − 1)` on the caller and the
    /// workers and returns when all have finished.
    func run<Job: ParallelJob>(_ iterations: Int, _ job: Job) {
        guard workers > 0, iterations > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for i in 0..<iterations { job.run(i) }
            return
        }
        withUnsafePointer(to: job) { pointer in
            self.job = UnsafeRawPointer(pointer)
            trampoline = { raw, i in raw.assumingMemoryBound(to: Job.self).pointee.run(i) }
            self.iterations = iterations
            next.store(0, ordering: .relaxed)
            unfinished.store(workers, ordering: .relaxed)
            pthread_mutex_lock(lock)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
            claimAndRun(UnsafeRawPointer(pointer), trampoline, iterations)
            var spins = 0
            while unfinished.load(ordering: .acquiring) > 0 && spins < Self.spinLimit { spins += 1 }
            if unfinished.load(ordering: .acquiring) > 0 {
                pthread_mutex_lock(lock)
                while unfinished.load(ordering: .acquiring) > 0 { pthread_cond_wait(done, lock) }
                pthread_mutex_unlock(lock)
            }
            self.job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    private func claimAndRun(_ job: UnsafeRawPointer, _ trampoline: (UnsafeRawPointer, Int) -> Void, _ count: Int) {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            trampoline(job, i)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && spins < Self.spinLimit { spins += 1 }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(lock)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, lock) }
                pthread_mutex_unlock(lock)
            }
            seen = generation.load(ordering: .acquiring)
            if let job { claimAndRun(job, trampoline, iterations) }
            if unfinished.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                pthread_mutex_lock(lock)
                pthread_cond_signal(done)
                pthread_mutex_unlock(lock)
            }
        }
    }

    private func startWorker() {
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
        let entry: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { raw in
            Unmanaged<WorkerPool>.fromOpaque(raw).takeUnretainedValue().workerLoop()
            return nil
        }
        #else
        let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
            Unmanaged<WorkerPool>.fromOpaque(raw!).takeUnretainedValue().workerLoop()
            return nil
        }
        #endif
        #if canImport(Darwin)
        var thread: pthread_t?
        guard pthread_create(&thread, nil, entry, context) == 0, let thread else { fatalError("WorkerPool: cannot start a thread") }
        #else
        var thread = pthread_t()
        guard pthread_create(&thread, nil, entry, context) == 0 else { fatalError("WorkerPool: cannot start a thread") }
        #endif
        pthread_detach(thread)
    }
}

/// Work for ``WorkerPool``: iteration `i` of a parallel loop. Each iteration
/// must write memory of its own and read only memory no iteration writes.
protocol ParallelJob {
    func run(_ i: Int)
}

/// A closure as a ``ParallelJob``, for callers outside the hot paths: handing
/// a closure to another thread needs `withoutActuallyEscaping`, which
/// allocates its context on the heap.
struct ClosureJob: ParallelJob {
    let body: (Int) -> Void
    func run(_ i: Int) { body(i) }
}
