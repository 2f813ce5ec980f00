import KernelsCore

/// The machine's multiply-add ceiling for one vector width, measured by the
/// benchmarks: twelve independent accumulator chains (enough to cover the
/// FMA latency of every current x86 and arm64 core), each step the same
/// `multiplyAdding` the kernels use, fused or not as this variant is. The
/// vector type is the caller's choice: twelve accumulators of it must fit the
/// registers (`Implementation.multiplyAddProbe`).
enum MultiplyAddProbe {
    /// Runs `iterations` × 12 multiply-adds of width V; returns a value that
    /// depends on all of them so the optimizer keeps the loop.
    @inline(never)
    static func run<V: SIMD>(_: V.Type, iterations: Int) -> Float where V.Scalar == Float {
        let x = V(repeating: 0.999_999), y = V(repeating: 1e-7)
        var a0 = V(repeating: 0), a1 = V(repeating: 1), a2 = V(repeating: 2), a3 = V(repeating: 3)
        var a4 = V(repeating: 4), a5 = V(repeating: 5), a6 = V(repeating: 6), a7 = V(repeating: 7)
        var a8 = V(repeating: 8), a9 = V(repeating: 9), a10 = V(repeating: 10), a11 = V(repeating: 11)
        for _ in 0..<iterations {
            a0 = a0.multiplyAdding(x, y)
            a1 = a1.multiplyAdding(x, y)
            a2 = a2.multiplyAdding(x, y)
            a3 = a3.multiplyAdding(x, y)
            a4 = a4.multiplyAdding(x, y)
            a5 = a5.multiplyAdding(x, y)
            a6 = a6.multiplyAdding(x, y)
            a7 = a7.multiplyAdding(x, y)
            a8 = a8.multiplyAdding(x, y)
            a9 = a9.multiplyAdding(x, y)
            a10 = a10.multiplyAdding(x, y)
            a11 = a11.multiplyAdding(x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }
}
