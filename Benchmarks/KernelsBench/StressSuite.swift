import Foundation
import Kernels
import MLP
import MallocCounter
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `kernels-bench stress`: sizes and concurrency no unit test reaches
/// (Docs/Reliability.md, "Stress"). Every case checks its own results; a
/// failed check prints `FAIL` and makes the suite exit with status 1.
///
/// The cases run smallest first, so the process's peak RSS printed after each
/// one is that case's peak (or an earlier, smaller case's).
struct StressSuite {
    let options: Options
    private var failures = 0

    init(options: Options) { self.options = options }

    /// Runs every case and exits with status 1 if any check failed.
    mutating func run() {
        print("stress suite — \(Threading.processorCount) processors, \(options.threads) threads; variant \(KernelVariant.active)")
        aspectRatios()
        concurrentCallers()
        insideCallersConcurrentPerform()
        longTraining()
        largeSquare(n: options.quick ? 2048 : 8192)
        print(failures == 0 ? "stress: every check passed" : "stress: \(failures) check(s) FAILED")
        exit(failures == 0 ? 0 : 1)
    }

    private mutating func check(_ condition: Bool, _ what: String) {
        if !condition {
            failures += 1
            print("FAIL: \(what)")
        }
    }

    // MARK: Cases

    /// m = 10⁶, n = k = 1 and k = 10⁶, m = n = 4: every entry against a Double
    /// dot product; peak RSS next to the operands' size.
    private mutating func aspectRatios() {
        var generator = Xoshiro256(seed: 1)
        for (m, n, k) in [(1_000_000, 1, 1), (4, 4, 1_000_000)] {
            let a = Matrix.uniform(rows: m, columns: k, in: -1...1, using: &generator)
            let b = Matrix.uniform(rows: k, columns: n, in: -1...1, using: &generator)
            var c = Matrix(rows: m, columns: n)
            let seconds = Stopwatch.time { Matrix.multiply(a, b, into: &c, threads: options.threads) }
            let worst = (0..<m).flatMap { i in (0..<n).map { j in Self.relativeError(c, a, b, i, j) } }.max() ?? 0
            let bound = Self.errorBound(k)
            check(worst <= bound, "(\(m) × \(k)) · (\(k) × \(n)): error \(worst) above (k + 1)·u = \(bound)")
            let operands = 4 * (m * k + k * n + m * n)
            print(
                "aspect  \(m) × \(n) × \(k): \(Report.fixed(seconds * 1000, 1)) ms, all \(m * n) entries checked, "
                    + "worst error \(Self.scientific(worst)) of Σ|a·b| (bound (k + 1)·u \(Self.scientific(bound))); "
                    + "operands \(Self.mebibytes(operands)), peak RSS \(Self.mebibytes(ProcessUsage.peakResidentBytes))")
        }
    }

    /// 8 threads of the caller's own (Foundation `Thread`s) calling `sgemm`
    /// and `predict` on shared inputs at once, each result bitwise the serial one.
    private mutating func concurrentCallers() {
        var generator = Xoshiro256(seed: 2)
        let a = Matrix.uniform(rows: 301, columns: 203, in: -1...1, using: &generator)
        let b = Matrix.uniform(rows: 203, columns: 257, in: -1...1, using: &generator)
        let x = Matrix.uniform(rows: 500, columns: 64, in: 0...1, using: &generator)
        guard let network = try? Network(inputs: 64, layers: [LayerSpec(128), LayerSpec(64), LayerSpec(10, .softmax)], seed: 3),
            let expectedP = try? network.predict(x, threads: 1)
        else { return check(false, "the concurrent-callers network") }
        let expectedC = Self.product(a, b, threads: 1)
        let callers = 8, rounds = 20
        let shared = SharedCounts()
        let done = DispatchGroup()
        var finished = false
        let seconds = Stopwatch.time {
            for _ in 0..<callers {
                done.enter()
                let thread = Thread {
                    for _ in 0..<rounds {
                        if Self.product(a, b, threads: 2) != expectedC { shared.mismatches.add(1, ordering: .relaxed) }
                        if (try? network.predict(x, threads: 2)) != expectedP { shared.mismatches.add(1, ordering: .relaxed) }
                    }
                    done.leave()
                }
                thread.start()
            }
            finished = done.wait(timeout: .now() + 300) == .success
        }
        check(finished, "concurrent callers did not finish in 300 s")
        let mismatches = shared.mismatches.load(ordering: .relaxed)
        check(mismatches == 0, "\(mismatches) concurrent results differ from the serial ones")
        print(
            "concurrent  \(callers) threads × \(rounds) rounds of sgemm (301 × 257 × 203, 2 threads each) and predict "
                + "(500 × 64 → 10): \(mismatches) results differ from the serial ones; "
                + "\(Report.fixed(seconds, 2)) s")
    }

    /// `sgemm` on all threads from inside each of 8 iterations of the caller's
    /// `DispatchQueue.concurrentPerform`: no deadlock (a watchdog), results
    /// equal to the serial one, and the process's thread count sampled every
    /// 0.2 ms against the processor count.
    private mutating func insideCallersConcurrentPerform() {
        var generator = Xoshiro256(seed: 4)
        let a = Matrix.uniform(rows: 512, columns: 512, in: -1...1, using: &generator)
        let b = Matrix.uniform(rows: 512, columns: 512, in: -1...1, using: &generator)
        let expected = Self.product(a, b, threads: 1)
        let before = Self.threadCount
        let shared = SharedCounts()
        shared.mostThreads.store(before, ordering: .relaxed)
        let monitor = Thread {
            while shared.sampling.load(ordering: .relaxed) {
                shared.mostThreads.max(Self.threadCount, ordering: .relaxed)
                usleep(200)
            }
        }
        monitor.start()
        let done = DispatchSemaphore(value: 0)
        let threads = options.threads
        var finished = false
        let seconds = Stopwatch.time {
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: 8) { _ in
                    for _ in 0..<4 where Self.product(a, b, threads: threads) != expected {
                        shared.mismatches.add(1, ordering: .relaxed)
                    }
                }
                done.signal()
            }
            finished = done.wait(timeout: .now() + 300) == .success
        }
        shared.sampling.store(false, ordering: .relaxed)
        let mismatches = shared.mismatches.load(ordering: .relaxed), most = shared.mostThreads.load(ordering: .relaxed)
        check(finished, "sgemm inside the caller's concurrentPerform did not finish in 300 s (deadlock?)")
        check(mismatches == 0, "\(mismatches) nested results differ from the serial one")
        let added = most - before - 1
        check(added <= 2 * Threading.processorCount, "\(added) threads added, more than twice the \(Threading.processorCount) processors")
        print(
            "nested  8 concurrentPerform iterations × 4 sgemm (512³, \(threads) threads each): "
                + "\(mismatches) differ, \(Report.fixed(seconds, 2)) s; threads in the process \(before) before, "
                + "at most \(most) during (the monitor's own included), on \(Threading.processorCount) processors")
    }

    /// 1 000 epochs on 32 samples as one `fit`, then 6 000 one-epoch fits:
    /// the heap in use at epoch 100 against epoch 1 000 of the fit (less the
    /// history's own records), and after fit 3 000 against fit 6 000. The
    /// caches of libdispatch and of the allocator (per-thread free lists,
    /// which glibc counts as in use) grow to a fixed size over the first
    /// 2 000 or so fits — measured: +70 KB, then flat to fit 8 000 — so the
    /// comparison starts after them; a leak would grow with the count.
    private mutating func longTraining() {
        var generator = Xoshiro256(seed: 5)
        let x = Matrix.uniform(rows: 32, columns: 4, in: -1...1, using: &generator)
        let labels = (0..<32).map { $0 % 3 }
        guard let data = try? Dataset(inputs: x, labels: labels, classes: 3),
            let network = try? Network(inputs: 4, layers: [LayerSpec(16), LayerSpec(3, .softmax)], seed: 6),
            let trainer = try? Trainer(network: network, loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 0.01))
        else { return check(false, "the long-training network") }
        guard Self.heapInUse >= 0 else {
            return print("epochs  skipped: the heap in use is not measurable here (glibc's mallinfo2 only)")
        }
        var atEpoch100 = 0, atEpoch1000 = 0, afterFit3000 = 0, afterFit6000 = 0
        var history: TrainingHistory?
        let seconds = Stopwatch.time {
            history = try? trainer.fit(data, options: TrainingOptions(epochs: 1000, batchSize: 8)) { progress in
                if progress.isEpochEnd, progress.epoch == 99 { atEpoch100 = Self.heapInUse }
                if progress.isEpochEnd, progress.epoch == 999 { atEpoch1000 = Self.heapInUse }
                return .continue
            }
            for round in 1...6000 {
                _ = try? trainer.fit(data, options: TrainingOptions(epochs: 1, batchSize: 8))
                if round == 3000 { afterFit3000 = Self.heapInUse }
            }
            afterFit6000 = Self.heapInUse
        }
        let records = 900 * MemoryLayout<EpochRecord>.stride
        check(history?.epochs.count == 1000, "fit of 1000 epochs did not run 1000 epochs")
        let growth = atEpoch1000 - atEpoch100 - records
        check(growth <= 16 * 1024, "one fit grew the heap by \(growth) bytes between epochs 100 and 1000 beyond its history")
        let repeated = afterFit6000 - afterFit3000
        check(repeated <= 32 * 1024, "3000 one-epoch fits grew the heap by \(repeated) bytes")
        print(
            "epochs  1 000 epochs of 32 samples (4 → 16 → 3, batch 8): heap in use \(Self.signed(growth)) B from epoch 100 to 1 000 "
                + "beyond the history's 900 new records (\(records) B); 6 000 one-epoch fits: \(Self.signed(repeated)) B from fit 3 000 "
                + "to fit 6 000; \(Report.fixed(seconds, 2)) s; peak RSS \(Self.mebibytes(ProcessUsage.peakResidentBytes))")
    }

    /// (n × n) · (n × n) on all threads, 1 000 random entries against Double
    /// dot products; peak RSS against the three operands.
    private mutating func largeSquare(n: Int) {
        var generator = Xoshiro256(seed: 7)
        let baseline = Self.currentRSS
        let a = Matrix.uniform(rows: n, columns: n, in: -1...1, using: &generator)
        let b = Matrix.uniform(rows: n, columns: n, in: -1...1, using: &generator)
        var c = Matrix(rows: n, columns: n)
        let seconds = Stopwatch.time { Matrix.multiply(a, b, into: &c, threads: options.threads) }
        var worst = 0.0
        for _ in 0..<1000 {
            let i = Int(generator.next() % UInt64(n)), j = Int(generator.next() % UInt64(n))
            worst = max(worst, Self.relativeError(c, a, b, i, j))
        }
        let bound = Self.errorBound(n)
        check(worst <= bound, "\(n)³: error \(worst) above (k + 1)·u = \(bound)")
        let operands = 3 * 4 * n * n, peak = ProcessUsage.peakResidentBytes
        print(
            "square  \(n)³ on \(options.threads) threads: \(Report.fixed(seconds, 2)) s, "
                + "\(Report.fixed(2 * pow(Double(n), 3) / seconds / 1e9, 1)) GFLOP/s; 1 000 random entries, worst error "
                + "\(Self.scientific(worst)) of Σ|a·b| (bound (k + 1)·u \(Self.scientific(bound))); operands \(Self.mebibytes(operands)), "
                + "RSS before them \(Self.mebibytes(baseline)), peak \(Self.mebibytes(peak)) "
                + "(beyond operands and baseline: \(Self.mebibytes(peak - baseline - operands)))")
    }

    // MARK: Helpers

    /// (k + 1)·u with u = 2⁻²⁴, Float's unit roundoff: times Σ|aᵢ·bᵢ|, a bound
    /// on the error of a k-term Float dot product in any order (γₖ ≈ k·u, and
    /// one more rounding for k = 1's single product). A kernel that drops or
    /// repeats a block is off by a whole block's share, far above it.
    static func errorBound(_ k: Int) -> Double { Double(k + 1) * 0x1p-24 }

    /// |c[i, j] − Σ a[i, l]·b[l, j]| / Σ |a[i, l]·b[l, j]|, the sums in Double.
    static func relativeError(_ c: Matrix, _ a: Matrix, _ b: Matrix, _ i: Int, _ j: Int) -> Double {
        var sum = 0.0, magnitude = 0.0
        for l in 0..<a.columns {
            let term = Double(a[i, l]) * Double(b[l, j])
            sum += term
            magnitude += abs(term)
        }
        return magnitude == 0 ? 0 : abs(Double(c[i, j]) - sum) / magnitude
    }

    /// A·B through `sgemm` itself, on `threads` threads.
    static func product(_ a: Matrix, _ b: Matrix, threads: Int) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    sgemm(
                        transA: .noTranspose, transB: .noTranspose, m: a.rows, n: b.columns, k: a.columns, alpha: 1,
                        a: pa.baseAddress!, lda: a.rows, b: pb.baseAddress!, ldb: b.rows, beta: 0, c: pc.baseAddress!,
                        ldc: a.rows, options: GEMMOptions(threads: threads))
                }
            }
        }
        return c
    }

    /// The process's resident set now, in bytes (Linux; the peak elsewhere).
    static var currentRSS: Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return ProcessUsage.peakResidentBytes }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes of heap in use (glibc's `mallinfo2`); -1 where it is not available.
    static var heapInUse: Int { malloc_counter_heap_in_use() }

    /// The number of threads of this process (Linux: /proc/self/task; 0 elsewhere).
    static var threadCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    static func signed(_ value: Int) -> String { value < 0 ? "−\(-value)" : "+\(value)" }
    static func scientific(_ value: Double) -> String { String(format: "%.2e", value) }
    static func mebibytes(_ bytes: Int) -> String { "\(Report.fixed(Double(bytes) / 1_048_576, 1)) MiB" }
}

/// What the threads of a stress case share: counts they update at once.
final class SharedCounts: Sendable {
    /// Results that differ from the serial ones.
    let mismatches = Atomic<Int>(0)
    /// The most threads the monitor saw in the process.
    let mostThreads = Atomic<Int>(0)
    /// Whether the monitor keeps sampling.
    let sampling = Atomic<Bool>(true)
}
