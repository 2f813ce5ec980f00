import Dispatch
import Kernels

/// Measures the machine's multiply-add ceiling for a SIMD width with twelve
/// independent accumulator chains (enough to cover the FMA latency on every
/// current x86 and arm64 core), on one thread or on several at once.
///
/// Multiply-adds are fused when the build has FMA (`KERNELS_FMA`), exactly as
/// in the kernels; otherwise they are a multiply then an add, and the "peak" is
/// that of the portable build.
enum PeakProbe {
    @inline(__always)
    static func step<V: SIMD>(_ acc: V, _ x: V, _ y: V) -> V where V.Scalar == Float {
        #if KERNELS_FMA
        return acc.addingProduct(x, y)
        #else
        return acc + x * y
        #endif
    }

    /// Runs `iterations` × 12 multiply-adds of width V; returns a value that
    /// depends on all of them so the optimizer keeps the loop.
    @inline(never)
    static func run<V: SIMD>(_: V.Type, iterations: Int) -> Float where V.Scalar == Float {
        let x = V(repeating: 0.999_999), y = V(repeating: 1e-7)
        var a0 = V(repeating: 0), a1 = V(repeating: 1), a2 = V(repeating: 2), a3 = V(repeating: 3)
        var a4 = V(repeating: 4), a5 = V(repeating: 5), a6 = V(repeating: 6), a7 = V(repeating: 7)
        var a8 = V(repeating: 8), a9 = V(repeating: 9), a10 = V(repeating: 10), a11 = V(repeating: 11)
        for _ in 0..<iterations {
            a0 = step(a0, x, y); a1 = step(a1, x, y); a2 = step(a2, x, y); a3 = step(a3, x, y)
            a4 = step(a4, x, y); a5 = step(a5, x, y); a6 = step(a6, x, y); a7 = step(a7, x, y)
            a8 = step(a8, x, y); a9 = step(a9, x, y); a10 = step(a10, x, y); a11 = step(a11, x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }

    /// GFLOP/s of `lanes`-wide multiply-adds on `threads` threads running at
    /// once, where `probe(iterations)` is `run` for that width: the best of 5
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
        gflops(lanes: 8, threads: threads, quick: quick) { run(SIMD8<Float>.self, iterations: $0) }
    }

    /// The `SIMD16<Float>` ceiling on `threads` threads.
    static func simd16(threads: Int, quick: Bool) -> Double {
        gflops(lanes: 16, threads: threads, quick: quick) { run(SIMD16<Float>.self, iterations: $0) }
    }
}
