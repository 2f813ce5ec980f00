import Dispatch

/// Wall-clock timing for benchmarks.
enum Stopwatch {
    /// Seconds taken by `body`.
    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// The fastest seconds-per-call of `body` over `samples` samples, each
    /// running `body` enough times to last at least `sampleSeconds`, after one
    /// warm-up call. The best sample is the one least disturbed by the
    /// machine's noise.
    static func bestSecondsPerCall(samples: Int = 3, sampleSeconds: Double, _ body: () -> Void) -> Double {
        let once = time(body)
        let calls = max(1, Int(sampleSeconds / max(once, 1e-9)))
        var best = Double.infinity
        for _ in 0..<samples {
            best = min(best, time { for _ in 0..<calls { body() } } / Double(calls))
        }
        return best
    }
}
