import Kernels

// Randomized subspace iteration (Halko, Martinsson & Tropp 2011, algorithm
// 4.4) on the centred data, never forming the covariance: every step is a
// thin GEMM with X (N × D) and a rank-one correction for the mean,
//
//     Xc·Z = X·Z − 1·(μᵀZ),    Xcᵀ·Y = Xᵀ·Y − μ·(1ᵀY),
//
// so X is neither copied nor centred. With l = M + 10 columns and q power
// iterations the top M eigenvectors of the covariance converge like
// (λ_(l+1)/λ_M)^(2q+1). Every column block is re-orthonormalized with
// Cholesky QR twice (CholeskyQR2), in Double for the small factors.
//
// The result is checked before it is returned: each component's residual
// ‖C·v − λ·v‖ must be below `residualTolerance`·λ₁; otherwise (a flat
// spectrum, a rank-deficient block) the caller falls back to the exact
// covariance route. Deterministic: a fixed seed and the GEMM's bitwise
// reproducibility make it the same for any thread count.

extension PCA {
    /// Extra columns of the sampled subspace beyond M.
    static let oversampling = 10
    /// Power iterations.
    static let powerIterations = 4
    /// The largest residual ‖C·v − λ·v‖ accepted, relative to λ₁.
    static let residualTolerance: Float = 1e-4

    /// The top `m` eigenpairs of the covariance of `x` (columns centred on
    /// `mean`), or `nil` when the check fails.
    static func randomized(_ x: Matrix, mean: [Float], components m: Int, threads: Int?) -> ([Float], Matrix)? {
        let n = x.rows, d = x.columns, l = min(m + oversampling, min(n, d))
        var generator = Xoshiro256(seed: 0x9ca)
        var z = Matrix.normal(rows: d, columns: l, using: &generator)
        var y = Matrix(rows: n, columns: l)
        guard centredProduct(x, mean: mean, z, into: &y, threads: threads), orthonormalize(&y, threads: threads) else { return nil }
        for _ in 0..<powerIterations {
            centredTransposedProduct(x, mean: mean, y, into: &z, threads: threads)
            guard orthonormalize(&z, threads: threads), centredProduct(x, mean: mean, z, into: &y, threads: threads),
                orthonormalize(&y, threads: threads)
            else { return nil }
        }
        // Z = Xcᵀ·Q = Bᵀ (D × l); the covariance restricted to the subspace
        // has the eigenvalues of (1/N)·ZᵀZ, and v = Z·w / σ.
        centredTransposedProduct(x, mean: mean, y, into: &z, threads: threads)
        let small = Matrix.symmetricProduct(z, threads: threads)
        guard let eigen = try? SymmetricEigendecomposition(small, count: m, threads: threads), eigen.eigenvalues[m - 1] > 0 else { return nil }
        var vectors = Matrix(rows: d, columns: m)
        Matrix.multiply(z, eigen.eigenvectors, into: &vectors, threads: threads)
        let values = eigen.eigenvalues.map { $0 / Float(n) }
        vectors.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<m {
                let factor = 1 / eigen.eigenvalues[j].squareRoot()
                for i in 0..<d { buffer[i + j * d] *= factor }
            }
        }
        vectors.fixSigns()
        guard residualsAreSmall(x, mean: mean, values: values, vectors: vectors, threads: threads) else { return nil }
        return (values, vectors)
    }

    /// y ← Xc·z = X·z − 1·(μᵀz); false if the result is not finite.
    private static func centredProduct(_ x: Matrix, mean: [Float], _ z: Matrix, into y: inout Matrix, threads: Int?) -> Bool {
        Matrix.multiply(x, z, into: &y, threads: threads)
        let n = y.rows
        let shifts = (0..<z.columns).map { j in (0..<z.rows).reduce(Float(0)) { $0 + mean[$1] * z[$1, j] } }
        return y.withUnsafeMutableBufferPointer { buffer in
            for (j, shift) in shifts.enumerated() {
                for i in 0..<n { buffer[i + j * n] -= shift }
            }
            return buffer.allSatisfy(\.isFinite)
        }
    }

    /// z ← Xcᵀ·y = Xᵀ·y − μ·(1ᵀy).
    private static func centredTransposedProduct(_ x: Matrix, mean: [Float], _ y: Matrix, into z: inout Matrix, threads: Int?) {
        Matrix.multiply(x.transposed(), y, into: &z, threads: threads)
        let d = z.rows
        let sums = y.withUnsafeBufferPointer { buffer in
            (0..<y.columns).map { j in (0..<y.rows).reduce(Float(0)) { $0 + buffer[$1 + j * y.rows] } }
        }
        z.withUnsafeMutableBufferPointer { buffer in
            for (j, sum) in sums.enumerated() {
                for i in 0..<d { buffer[i + j * d] -= mean[i] * sum }
            }
        }
    }

    /// Replaces the columns of `a` with an orthonormal basis of their span
    /// by Cholesky QR twice; false when they are (numerically) dependent.
    private static func orthonormalize(_ a: inout Matrix, threads: Int?) -> Bool {
        for _ in 0..<2 {
            let l = a.columns
            let gram = Matrix.symmetricProduct(a, threads: threads)
            // Cholesky G = RᵀR in Double, then R⁻¹ (upper triangular).
            var r = [Double](repeating: 0, count: l * l)
            for j in 0..<l {
                for i in 0...j {
                    var sum = Double(gram[i, j])
                    for k in 0..<i { sum -= r[k + i * l] * r[k + j * l] }
                    if i == j {
                        guard sum > 1e-6 * Double(gram[j, j]), sum.isFinite else { return false }
                        r[j + j * l] = sum.squareRoot()
                    } else {
                        r[i + j * l] = sum / r[i + i * l]
                    }
                }
            }
            var inverse = Matrix(rows: l, columns: l)
            for j in 0..<l {
                var column = [Double](repeating: 0, count: l)
                column[j] = 1 / r[j + j * l]
                for i in stride(from: j - 1, through: 0, by: -1) {
                    var sum: Double = 0
                    for k in (i + 1)...j { sum += r[i + k * l] * column[k] }
                    column[i] = -sum / r[i + i * l]
                }
                for i in 0...j { inverse[i, j] = Float(column[i]) }
            }
            var q = Matrix(rows: a.rows, columns: l)
            Matrix.multiply(a, inverse, into: &q, threads: threads)
            a = q
        }
        return true
    }

    /// Whether ‖C·vᵢ − λᵢ·vᵢ‖ ≤ residualTolerance·λ₁ for every component, C = (1/N)·XcᵀXc.
    private static func residualsAreSmall(_ x: Matrix, mean: [Float], values: [Float], vectors: Matrix, threads: Int?) -> Bool {
        let n = x.rows, d = x.columns, m = vectors.columns
        var projected = Matrix(rows: n, columns: m), back = Matrix(rows: d, columns: m)
        guard centredProduct(x, mean: mean, vectors, into: &projected, threads: threads) else { return false }
        centredTransposedProduct(x, mean: mean, projected, into: &back, threads: threads)
        for j in 0..<m {
            var squares: Double = 0
            for i in 0..<d {
                let r = Double(back[i, j]) / Double(n) - Double(values[j]) * Double(vectors[i, j])
                squares += r * r
            }
            if squares.squareRoot() > Double(residualTolerance * values[0]) { return false }
        }
        return true
    }
}
