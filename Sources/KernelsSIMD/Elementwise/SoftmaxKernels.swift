import KernelsCore

#if KERNELS_AVX512
    /// The vector math of this variant's preferred width, for kernels that need
    /// only one width (softmax, losses, column sums, the epilogue).
    typealias PreferredMath = VectorMath16
#else
    typealias PreferredMath = VectorMath8
#endif

/// Softmax and log-softmax over each row of a (samples × classes) block,
/// vectorized across samples: one vector holds the same class of consecutive
/// samples, which are contiguous in the column-major layout. Each row's
/// maximum is subtracted before `exp`, so logits of ±1000 are exact.
enum SoftmaxKernels {
    typealias Vector = PreferredMath.Vector

    /// `p[i, j] = e^(z[i, j] − mᵢ) / Σⱼ e^(z[i, j] − mᵢ)`, mᵢ = maxⱼ z[i, j].
    static func probabilities(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into p: UnsafeMutablePointer<Float>, ldp: Int
    ) {
        forEachRowChunk(rows: rows) { i, count in
            let (maximum, sum) = maximumAndSum(columns: columns, z + i, ldz, count: count)
            let scale = 1 / sum
            for j in 0..<columns {
                let zj = PreferredMath.load(z + i + j * ldz, count: count)
                PreferredMath.store(PreferredMath.exp(zj - maximum) * scale, count: count, to: p + i + j * ldp)
            }
        }
    }

    /// `log p[i, j] = z[i, j] − mᵢ − ln Σⱼ e^(z[i, j] − mᵢ)`.
    static func logProbabilities(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        forEachRowChunk(rows: rows) { i, count in
            let (maximum, sum) = maximumAndSum(columns: columns, z + i, ldz, count: count)
            let shift = maximum + PreferredMath.log(sum)
            for j in 0..<columns {
                PreferredMath.store(PreferredMath.load(z + i + j * ldz, count: count) - shift, count: count, to: out + i + j * ldo)
            }
        }
    }

    /// Calls `body` once per run of up to one vector of rows (samples) with
    /// the run's first row and row count.
    @inline(__always)
    static func forEachRowChunk(rows: Int, _ body: (_ firstRow: Int, _ rows: Int) -> Void) {
        for i in stride(from: 0, to: rows, by: Vector.scalarCount) {
            body(i, min(Vector.scalarCount, rows - i))
        }
    }

    /// Per-lane maximum over the columns and Σⱼ e^(zⱼ − max) for the `count`
    /// rows at `z` (lanes past `count` are zero).
    @inline(__always)
    static func maximumAndSum(columns: Int, _ z: UnsafePointer<Float>, _ ldz: Int, count: Int) -> (Vector, Vector) {
        var maximum = Vector(repeating: -.infinity)
        for j in 0..<columns {
            let v = PreferredMath.load(z + j * ldz, count: count)
            maximum = maximum.replacing(with: v, where: v .> maximum)
        }
        var sum = Vector()
        for j in 0..<columns { sum += PreferredMath.exp(PreferredMath.load(z + j * ldz, count: count) - maximum) }
        return (maximum, sum)
    }
}
