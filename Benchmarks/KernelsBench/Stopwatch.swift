import Dispatch
import Kernels

/// How one rate is measured: samples that each run the body enough times to
/// last at least `seconds` (at least once), as many as fit in `budget` seconds
/// but no fewer and no more than `count` allows; the best sample is kept.
///
/// On a shared VM the host interrupts a thread for a few milliseconds at a
/// time; a short sample is often untouched, a long one rarely. Samples about
/// as long as the peak probe's keep the ratios between them fair.
struct Sampling {
    var seconds: Double
    var count: ClosedRange<Int>
    var budget: Double = 0

    /// Exactly `samples` samples of at least `seconds` each.
    static func fixed(_ samples: Int, seconds: Double) -> Sampling {
        Sampling(seconds: seconds, count: samples...samples)
    }
}

/// Wall-clock timing for benchmarks.
enum Stopwatch {
    /// Seconds taken by `body`.
    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// The fastest seconds-per-call of `body` over the samples `sampling`
    /// describes, after one warm-up call. The best sample is the one least
    /// disturbed by the machine's noise.
    ///
    /// Each sample's calls run inside one parallel region, as a loop of
    /// kernel calls in `fit` does, so the rates leave out the wake-up of
    /// sleeping threads (100–300 µs on the VMs of Docs/Performance.md), which
    /// a standalone call pays once.
    static func bestSecondsPerCall(_ sampling: Sampling, _ body: () -> Void) -> Double {
        Threading.withParallelRegion { sample(sampling, body) }
    }

    private static func sample(_ sampling: Sampling, _ body: () -> Void) -> Double {
        let once = max(time(body), 1e-9)
        let calls = max(1, Int(sampling.seconds / once))
        let fitting = Int(sampling.budget / (once * Double(calls)))
        let samples = min(max(fitting, sampling.count.lowerBound), sampling.count.upperBound)
        var best = Double.infinity
        for _ in 0..<samples {
            best = min(best, time { for _ in 0..<calls { body() } } / Double(calls))
        }
        return best
    }

    /// The fastest seconds-per-call of `body` over `samples` samples of at
    /// least `sampleSeconds` each.
    static func bestSecondsPerCall(samples: Int = 3, sampleSeconds: Double, _ body: () -> Void) -> Double {
        bestSecondsPerCall(.fixed(samples, seconds: sampleSeconds), body)
    }
}
