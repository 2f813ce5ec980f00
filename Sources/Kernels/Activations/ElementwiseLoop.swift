/// The loop under every elementwise kernel: `out[i] = f(x[i], y[i], w[i])`
/// over `count` floats, one vector at a time, the tail through a zero-filled
/// vector so that every element goes through the same lane arithmetic.
/// Inputs a kernel does not use may alias `x`; `out` may alias any input.
@inline(__always)
func mapVectors<M: VectorMath>(
    _: M.Type, count: Int,
    _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
    into out: UnsafeMutablePointer<Float>,
    _ f: (M.Vector, M.Vector, M.Vector) -> M.Vector
) {
    let lanes = M.Vector.scalarCount
    let full = count / lanes * lanes
    var i = 0
    while i < full {
        let r = f(
            UnsafeRawPointer(x + i).loadUnaligned(as: M.Vector.self),
            UnsafeRawPointer(y + i).loadUnaligned(as: M.Vector.self),
            UnsafeRawPointer(w + i).loadUnaligned(as: M.Vector.self))
        UnsafeMutableRawPointer(out + i).storeBytes(of: r, as: M.Vector.self)
        i += lanes
    }
    if full < count {
        var vx = M.Vector(), vy = M.Vector(), vw = M.Vector()
        for l in 0..<(count - full) { vx[l] = x[full + l]; vy[l] = y[full + l]; vw[l] = w[full + l] }
        let r = f(vx, vy, vw)
        for l in 0..<(count - full) { out[full + l] = r[l] }
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
