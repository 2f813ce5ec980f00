/// The loops under every elementwise kernel, one vector at a time, the tail
/// through a zero-filled vector so that every element goes through the same
/// lane arithmetic. `out` may alias an input.
enum ElementwiseLoop {
    /// `out[i] = f(x[i])`.
    @inline(__always)
    static func apply<F: VectorFunction>(_ f: F, count: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        typealias M = F.Math
        forEachVector(M.self, count) { i, n in M.store(f.forward(M.load(x + i, count: n)), count: n, to: out + i) }
    }

    /// `out[i] = f′(z[i], a[i])`.
    @inline(__always)
    static func derivative<F: ActivationFunction>(
        _ f: F, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        typealias M = F.Math
        forEachVector(M.self, count) { i, n in
            M.store(f.derivative(z: M.load(z + i, count: n), a: M.load(a + i, count: n)), count: n, to: out + i)
        }
    }

    /// `g[i] ← g[i]·f′(z[i], a[i])`.
    @inline(__always)
    static func multiplyByDerivative<F: ActivationFunction>(
        _ f: F, count: Int, gradient g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>
    ) {
        typealias M = F.Math
        forEachVector(M.self, count) { i, n in
            let d = f.derivative(z: M.load(z + i, count: n), a: M.load(a + i, count: n))
            M.store(M.multiply(M.load(g + i, count: n), d), count: n, to: g + i)
        }
    }

    /// Calls `body(i, lanes)` for each whole vector, then `body(i, rest)` once
    /// for the tail. The whole vectors get their own loop: with the partial
    /// loads in the same loop, LLVM split the vector math into lanes.
    @inline(__always)
    static func forEachVector<M: VectorMath>(_: M.Type, _ count: Int, _ body: (Int, Int) -> Void) {
        let lanes = M.Vector.scalarCount
        let full = count / lanes * lanes
        var i = 0
        while i < full {
            body(i, lanes)
            i += lanes
        }
        if full < count { body(full, count - full) }
    }
}

/// Splits `count` elements into one contiguous run per worker (multiples of
/// 64 floats, so no two workers share a cache line) when each worker gets at
/// least `minimumPerWorker`; otherwise runs `body(0..<count)` on the calling thread.
func parallelRanges(count: Int, threads: Int, minimumPerWorker: Int, _ body: (Range<Int>) -> Void) {
    let workers = max(1, min(threads, count / max(1, minimumPerWorker)))
    if workers == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let chunk = roundUp((count + workers - 1) / workers, to: 64)
    Threading.parallelFor(workers) { worker in
        let lower = min(count, worker * chunk), upper = min(count, lower + chunk)
        if lower < upper { body(lower..<upper) }
    }
}
