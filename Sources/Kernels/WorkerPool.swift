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
/// This is the package's second audited `@unchecked Sendable`: `job` and
/// `trampoline` are written only by the caller holding `busy`, before the
/// release-ordered store of the job's `ticket`; a worker reads them only after
/// claiming an iteration of that ticket (an acquiring compare-exchange), and
/// the caller returns only when every claimed iteration has completed, so they
/// are valid whenever they are read. Everything else is atomic or guarded by
/// `lock`. The caller never waits for a worker to wake up: if none does, it
/// runs every iteration itself.
final class WorkerPool: @unchecked Sendable {
    /// One worker fewer than processors: the caller works too.
    static let shared = WorkerPool(workers: Threading.processorCount - 1)

    let workers: Int
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let busy = Atomic<Bool>(false)
    /// Bumped for every job; sleeping workers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// The job's ticket: generation (high 32 bits), iteration count (16 bits)
    /// and the next unclaimed iteration (low 16 bits). Claiming is a
    /// compare-exchange, so a worker that wakes late can never claim an
    /// iteration of a job other than the one whose ticket it read.
    private let ticket = Atomic<UInt64>(0)
    /// Iterations finished; the caller waits for all of them, never for a
    /// worker to wake up.
    private let completed = Atomic<Int>(0)
    private var job: UnsafeRawPointer?
    private var trampoline: (UnsafeRawPointer, Int) -> Void = { _, _ in }

    /// Atomic loads a worker spins through before it sleeps: a few
    /// milliseconds. Waking a sleeping thread took hundreds of microseconds on
    /// this VM; with a 100 µs spin a training step of network B on 2 threads
    /// took 3.2 ms, with this one 1.2 ms (1 thread: 1.7 ms).
    private static let spinLimit = 4_000_000

    private init(workers: Int) {
        self.workers = max(0, workers)
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<self.workers { startWorker() }
    }

    /// Runs `job.run(0) … job.run(iterations − 1)` on the caller and the
    /// workers and returns when all have finished.
    func run<Job: ParallelJob>(_ iterations: Int, _ job: Job) {
        guard workers > 0, (2...0xFFFF).contains(iterations),
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for i in 0..<iterations { job.run(i) }
            return
        }
        withUnsafePointer(to: job) { pointer in
            self.job = UnsafeRawPointer(pointer)
            trampoline = { raw, i in raw.assumingMemoryBound(to: Job.self).pointee.run(i) }
            completed.store(0, ordering: .relaxed)
            pthread_mutex_lock(lock)
            let current = generation.add(1, ordering: .relaxed).newValue
            ticket.store(UInt64(UInt32(truncatingIfNeeded: current)) << 32 | UInt64(iterations) << 16, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
            claimAndRun(generation: current)
            var spins = 0
            while completed.load(ordering: .acquiring) < iterations {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            self.job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs iterations of the job of `generation` until none is left.
    private func claimAndRun(generation: Int) {
        let mine = UInt32(truncatingIfNeeded: generation)
        var t = ticket.load(ordering: .acquiring)
        while UInt32(truncatingIfNeeded: t >> 32) == mine, t & 0xFFFF < (t >> 16) & 0xFFFF {
            let (exchanged, original) = ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                trampoline(job!, Int(t & 0xFFFF))
                completed.add(1, ordering: .releasing)
                t = ticket.load(ordering: .acquiring)
            } else {
                t = original
            }
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
            claimAndRun(generation: seen)
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
