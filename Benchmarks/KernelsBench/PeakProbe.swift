import Dispatch
import Kernels

/// Measures the machine's multiply-add ceiling for a SIMD width, on one
/// thread or on several at once, with the active variant's probe: fused
/// multiply-adds where the variant has them, otherwise a multiply then an
/// add, so that the "peak" is that of the code the kernels run.
enum PeakProbe {
    /// GFLOP/s of `lanes`-wide multiply-adds on `threads` threads running at
    /// once, where `probe(iterations)` runs the variant's probe for that width: the best of 5
    /// samples of about 13 ms (3 of 3 ms with `quick`).
    static func gflops(lanes: Int, threads: Int, quick: Bool, probe: @escaping @Sendable (Int) -> Float) -> Double {
        let iterations = quick ? 2_000_000 : 8_000_000
        let flopsPerThread = Double(iterations * 12 * lanes * 2)
        var best = 0.0
        for _ in 0..<(quick ? 3 : 5) {
            let seconds = Stopwatch.time {
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    let value = probe(iterations)
                    if value.isNaN { print(value) }
                }
            }
            best = max(best, flopsPerThread * Double(threads) / seconds * 1e-9)
        }
        return best
    }
}

extension PeakProbe {
    /// The `SIMD8<Float>` ceiling on `threads` threads.
    static func simd8(threads: Int, quick: Bool) -> Double {
        gflops(lanes: 8, threads: threads, quick: quick) { BuildConfiguration.multiplyAddProbe(width: .simd8, iterations: $0) }
    }

    /// The `SIMD16<Float>` ceiling on `threads` threads.
    static func simd16(threads: Int, quick: Bool) -> Double {
        gflops(lanes: 16, threads: threads, quick: quick) { BuildConfiguration.multiplyAddProbe(width: .simd16, iterations: $0) }
    }
}
