import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parallel region: the threads of one `DispatchQueue.concurrentPerform`
/// that go through a sequence of parallel phases together, the way an OpenMP
/// `parallel` region encloses many loops (Docs/Architecture.md, "Threading").
///
/// The first participant to arrive becomes the **leader** and runs the
/// region's body; the others are **helpers**. Each time the body reaches a
/// parallel phase (``run(_:_:)``: a GEMM's blocks, an elementwise pass's
/// runs), the leader publishes the phase's pieces; every participant,
/// leader included, claims pieces until none is left, and the leader returns
/// from the phase when every claimed piece has finished. Nobody ever waits
/// for a participant to *arrive*: a helper that starts late (or never, when
/// GCD runs the iterations one after another because the caller is itself
/// inside a `concurrentPerform`) only finds less work, so a region always
/// finishes and its results never depend on how many threads took part.
/// When the body returns, the helpers leave and `concurrentPerform` returns:
/// no thread of the library runs after the call that opened the region.
///
/// Waking a sleeping thread costs 100–300 µs on the 2-vCPU VMs of
/// Docs/Performance.md, back-to-back phases in a region about 1 µs, which is
/// why regions are few and long: one per `fit`, per standalone large GEMM or
/// elementwise pass, per batched `predict`.
///
/// This is one of the package's two audited `@unchecked Sendable` places:
/// `job` is written only by the leader, before the
/// release-ordered store of the phase's `ticket`; a helper reads it only
/// after claiming a piece of that ticket (an acquiring compare-exchange), and
/// the leader rewrites them only after every claimed piece has completed.
/// Everything else is atomic.
package final class ParallelRegion: @unchecked Sendable {
    /// The participants the region asked `concurrentPerform` for.
    let participants: Int
    /// The current phase: its number (high 32 bits), piece count (16 bits)
    /// and the next unclaimed piece (low 16 bits). Claiming is a
    /// compare-exchange, so a helper can never claim a piece of a phase other
    /// than the one whose ticket it read.
    private let ticket = Atomic<UInt64>(0)
    /// Pieces of the current phase that have finished.
    private let completed = Atomic<Int>(0)
    /// Set by the leader when the body has returned.
    private let finished = Atomic<Bool>(false)
    private let leaderChosen = Atomic<Bool>(false)
    private var phase: UInt32 = 0
    /// The phase's job, as a one-word reference to the leader's stack: it
    /// fits an existential's inline storage, so publishing it allocates nothing.
    private var job: (any ParallelJob)?
    /// The body, run by whichever participant becomes the leader; set before
    /// `concurrentPerform` starts and cleared after it returns.
    private var leaderWork: (() -> Void)?

    /// The largest number of pieces of one phase.
    package static let maximumPieces = 0xFFFF

    private init(participants: Int) {
        self.participants = participants
    }

    /// The region of one participant: its phases run on the leader alone and
    /// never touch the region's state, so every thread can lead it at once.
    private static let serial = ParallelRegion(participants: 1)

    // MARK: The region of the calling thread

    /// The region whose leader is the calling thread, if any.
    static var current: ParallelRegion? {
        guard let raw = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<ParallelRegion>.fromOpaque(raw).takeUnretainedValue()
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, nil) == 0 else { fatalError("ParallelRegion: no thread-specific key") }
        return key
    }()

    /// Runs `body` as the leader of a region of up to `threads` participants
    /// (no more than the processors), or inside the calling thread's region
    /// when there already is one.
    static func open<R, E: Error>(threads: Int, _ body: () throws(E) -> R) throws(E) -> R {
        if current != nil { return try body() }
        let participants = max(1, min(threads, Threading.processorCount))
        if participants == 1 {
            // Still a region, so that kernels inside run on this thread
            // instead of opening regions of their own; one shared instance,
            // which no thread ever changes, so opening it allocates nothing.
            return try serial.lead(body)
        }
        let region = ParallelRegion(participants: participants)
        var outcome: Result<R, E>?
        withoutActuallyEscaping(body) { body in
            withUnsafeMutablePointer(to: &outcome) { outcome in
                region.leaderWork = { outcome.pointee = Result { () throws(E) -> R in try region.lead(body) } }
                DispatchQueue.concurrentPerform(iterations: region.participants) { _ in
                    if !region.leaderChosen.exchange(true, ordering: .acquiringAndReleasing) {
                        region.leaderWork?()
                        region.finished.store(true, ordering: .releasing)
                    } else {
                        region.help()
                    }
                }
                region.leaderWork = nil
            }
        }
        return try outcome!.get()
    }

    /// Runs `body` with this region as the calling thread's.
    private func lead<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let previous = pthread_getspecific(Self.currentKey)
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.currentKey, previous) }
        return try body()
    }

    // MARK: Phases

    /// Runs `job.run(0) … job.run(pieces − 1)` on the participants that are
    /// there and returns when all have finished. Called by the leader only.
    func run<Job: ParallelJob>(_ pieces: Int, _ job: Job) {
        guard participants > 1, pieces > 1 else {
            for i in 0..<pieces { job.run(i) }
            return
        }
        guard pieces <= Self.maximumPieces else {
            // More pieces than a ticket counts: consecutive phases of at most
            // `maximumPieces` each.
            for first in stride(from: 0, to: pieces, by: Self.maximumPieces) {
                run(min(Self.maximumPieces, pieces - first), OffsetJob(job: job, first: first))
            }
            return
        }
        withUnsafePointer(to: job) { pointer in
            self.job = JobReference(job: pointer)
            completed.store(0, ordering: .relaxed)
            phase &+= 1
            ticket.store(UInt64(phase) << 32 | UInt64(pieces) << 16, ordering: .releasing)
            claimAndRun()
            var waits = 0
            while completed.load(ordering: .acquiring) < pieces { Self.pause(&waits) }
            self.job = nil
        }
    }

    /// A helper's life: claim pieces of whatever phase is open until the
    /// leader has finished the body.
    private func help() {
        var waits = 0
        while !finished.load(ordering: .acquiring) {
            if claimAndRun() {
                waits = 0
            } else {
                Self.pause(&waits)
            }
        }
    }

    /// Claims and runs pieces of the current phase until none is left;
    /// returns whether it ran any.
    @discardableResult
    private func claimAndRun() -> Bool {
        var ran = false
        var t = ticket.load(ordering: .acquiring)
        while t & 0xFFFF < (t >> 16) & 0xFFFF {
            let (exchanged, original) = ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                job!.run(Int(t & 0xFFFF))
                completed.add(1, ordering: .releasing)
                ran = true
                t = ticket.load(ordering: .acquiring)
            } else {
                t = original
            }
        }
        return ran
    }

    /// Waiting between phases: spin first (a phase usually follows within
    /// microseconds), then yield the processor, then sleep briefly, so that a
    /// leader busy with serial work for long (a progress callback writing to
    /// a terminal) does not keep a core spinning. A sleeping helper only
    /// delays itself: the leader never waits for it.
    private static func pause(_ waits: inout Int) {
        waits += 1
        if waits < 20_000 { return }
        if waits < 21_000 {
            sched_yield()
        } else {
            usleep(20)
        }
    }
}

/// Work for a ``ParallelRegion`` phase: piece `i` of a parallel loop. Each
/// piece must write memory of its own and read only memory no piece writes.
package protocol ParallelJob {
    func run(_ i: Int)
}

/// Pieces `first …` of another job.
private struct OffsetJob<Job: ParallelJob>: ParallelJob {
    let job: Job, first: Int
    func run(_ i: Int) { job.run(first + i) }
}

/// A job reached through a pointer to the leader's copy of it.
private struct JobReference<Job: ParallelJob>: ParallelJob {
    let job: UnsafePointer<Job>
    func run(_ i: Int) { job.pointee.run(i) }
}

/// A closure as a ``ParallelJob``, for callers outside the hot paths:
/// handing a closure to other threads needs `withoutActuallyEscaping`, which
/// moves its context to the heap.
struct ClosureJob: ParallelJob {
    let body: (Int) -> Void
    func run(_ i: Int) { body(i) }
}
