import Kernels

/// Passes over a whole parameter buffer (the optimizer's update, Σ g²) in
/// fixed chunks that the threads of a region share. The chunks depend only
/// on the layout, and partial sums are added in chunk order, so the results
/// are bitwise the same for any thread count.
enum ParameterChunks {
    /// Floats per chunk: 32 KiB, a few microseconds of work.
    static let size = 8192

    /// Calls `body(range, isWeights)` for every chunk of `[0, count)`, no
    /// chunk straddling `weightsEnd`, and returns the sum of the results in
    /// chunk order.
    static func sum(count: Int, weightsEnd: Int, threads: Int, _ body: (Range<Int>, Bool) -> Double) -> Double {
        let weightChunks = (weightsEnd + size - 1) / size
        let chunks = weightChunks + (count - weightsEnd + size - 1) / size
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, chunks)) { partial in
            Threading.parallelFor(chunks, threads: threads) { c in
                let isWeights = c < weightChunks
                let lower = isWeights ? c * size : weightsEnd + (c - weightChunks) * size
                let upper = min(isWeights ? weightsEnd : count, lower + size)
                partial[c] = body(lower..<upper, isWeights)
            }
            var total = 0.0
            for c in 0..<chunks { total += partial[c] }
            return total
        }
    }

    /// Σ x² over `count` floats (8 lanes in `Float`, lanes added in `Double`).
    static func sumOfSquares(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var sum = SIMD8<Float>()
        let full = count / 8 * 8
        var i = 0
        while i < full {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            sum += v * v
            i += 8
        }
        var total = Double(sum.sum())
        for i in full..<count { total += Double(p[i] * p[i]) }
        return total
    }
}
