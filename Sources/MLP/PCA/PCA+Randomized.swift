import Kernels

// Randomized subspace iteration (Halko, Martinsson & Tropp 2011) on the
// covariance C = (1/N)·XcᵀXc without forming it: each product C·Q with a
// thin (D × l) block Q is one pass over the rows of the centred data Xc, a
// block of `rowBlock` rows at a time,
//
//     T = Xc_b·Q,    C·Q += (1/N)·Xc_bᵀ·T,
//
// so Xc is read from memory once per product (the second GEMM finds the
// block in cache). The blocks form `productGroups` groups summed separately,
// which is where the threads share the work. The data is centred once, into a copy, as for the
// covariance route: subtracting the mean after each product instead
// (X·Q − 1·μᵀQ) cancels digits when the mean is large. Q (D × l) is small, so
// it is re-orthonormalized by modified Gram–Schmidt, twice, in Double.
//
// Start: a seeded Gaussian Q; then Q ← orth(C·Q) `powerIterations` times;
// then one more product P = C·Q gives the Rayleigh–Ritz matrix QᵀP, whose
// top M eigenpairs (λ, u) give the components v = Q·u — and, for free, the
// residuals C·v − λ·v = P·u − λ·Q·u. The result is returned only when every
// residual is at most `residualTolerance`·λ₁; otherwise (a flat spectrum
// converges slowly) the caller falls back to the exact covariance route.
// Deterministic: a fixed seed and the GEMM's bitwise reproducibility make it
// the same for any thread count.

extension PCA {
    /// Extra columns of the sampled subspace beyond M, at least: l is then
    /// rounded up to a multiple of 6, the GEMM micro-tile's width.
    static let oversampling = 8
    /// Products C·Q before the last one.
    static let powerIterations = 4
    /// The largest residual ‖C·v − λ·v‖ accepted, relative to λ₁.
    static let residualTolerance: Float = 1e-4
    /// Rows of X per block of the covariance product: 128 × 784 floats stay
    /// in a 512 KiB L2 between the block's two GEMMs.
    static let rowBlock = 128

    /// The top `m` eigenpairs of the covariance of the `centred` data, or
    /// `nil` when the check fails.
    static func randomized(_ centred: Matrix, components m: Int, threads: Int?) -> ([Float], Matrix)? {
        let n = centred.rows, d = centred.columns, l = min((m + oversampling + 5) / 6 * 6, min(n, d))
        var generator = Xoshiro256(seed: 0x9ca)
        var q = Matrix.normal(rows: d, columns: l, using: &generator)
        guard orthonormalize(&q) else { return nil }
        var product = Matrix(rows: d, columns: l)
        for _ in 0..<powerIterations {
            covarianceProduct(centred, q, into: &product, threads: threads)
            q = product
            guard orthonormalize(&q) else { return nil }
        }
        covarianceProduct(centred, q, into: &product, threads: threads)
        // Rayleigh–Ritz: S = Qᵀ·(C·Q), symmetrized against rounding.
        var s = Matrix(rows: l, columns: l)
        Matrix.multiply(q.transposed(), product, into: &s, threads: threads)
        for j in 0..<l {
            for i in 0..<j {
                let mean = (s[i, j] + s[j, i]) / 2
                s[i, j] = mean
                s[j, i] = mean
            }
        }
        guard let eigen = try? SymmetricEigendecomposition(s, count: m, threads: threads), eigen.eigenvalues[m - 1] > 0 else { return nil }
        var vectors = Matrix(rows: d, columns: m), image = Matrix(rows: d, columns: m)
        Matrix.multiply(q, eigen.eigenvectors, into: &vectors, threads: threads)
        Matrix.multiply(product, eigen.eigenvectors, into: &image, threads: threads)
        for j in 0..<m {
            var squares: Double = 0
            for i in 0..<d {
                let r = Double(image[i, j]) - Double(eigen.eigenvalues[j]) * Double(vectors[i, j])
                squares += r * r
            }
            guard squares.squareRoot() <= Double(residualTolerance * eigen.eigenvalues[0]) else { return nil }
        }
        vectors.fixSigns()
        return (eigen.eigenvalues, vectors)
    }

    /// Partial sums of a covariance product: the row blocks are split into
    /// this many contiguous groups, each summed on its own and the groups
    /// added in order, so threads can share the work and the result does
    /// not depend on how many there are.
    static let productGroups = 4

    /// product ← C·q, C = (1/N)·XcᵀXc, in one pass over blocks of rows of
    /// the centred data: per block, T = Xc_b·Q, then C·Q += (1/N)·Xc_bᵀ·T
    /// while the block is still in cache. The groups of blocks run on up
    /// to `threads` threads, each GEMM on one.
    static func covarianceProduct(_ centred: Matrix, _ q: Matrix, into product: inout Matrix, threads: Int?) {
        let n = centred.rows, d = centred.columns, l = q.columns
        let blocks = (n + rowBlock - 1) / rowBlock, groups = productGroups
        let single = GEMMOptions(threads: 1)
        var partial = [Float](repeating: 0, count: groups * d * l), scratch = [Float](repeating: 0, count: groups * rowBlock * l)
        centred.withUnsafeBufferPointer { xb in
            q.withUnsafeBufferPointer { qb in
                partial.withUnsafeMutableBufferPointer { pb in
                    scratch.withUnsafeMutableBufferPointer { sb in
                        let x = xb.baseAddress!, q = qb.baseAddress!, partials = pb.baseAddress!, scratch = sb.baseAddress!
                        Threading.parallelFor(groups, threads: threads ?? Threading.threadCount) { group in
                            let p = partials + group * d * l, t = scratch + group * rowBlock * l
                            for block in (group * blocks / groups)..<((group + 1) * blocks / groups) {
                                let start = block * rowBlock, rows = min(rowBlock, n - start)
                                sgemm(
                                    transA: .noTranspose, transB: .noTranspose, m: rows, n: l, k: d, alpha: 1, a: x + start, lda: n,
                                    b: q, ldb: d, beta: 0, c: t, ldc: rowBlock, options: single)
                                sgemm(
                                    transA: .transpose, transB: .noTranspose, m: d, n: l, k: rows, alpha: 1 / Float(n), a: x + start, lda: n,
                                    b: t, ldb: rowBlock, beta: 1, c: p, ldc: d, options: single)
                            }
                        }
                    }
                }
            }
        }
        product.withUnsafeMutableBufferPointer { target in
            for i in 0..<(d * l) {
                var sum: Float = 0
                for group in 0..<groups { sum += partial[group * d * l + i] }
                target[i] = sum
            }
        }
    }

    /// Replaces the columns of the (D × l) `a` by an orthonormal basis of
    /// their span: modified Gram–Schmidt in Double, twice; false only when a
    /// column vanishes or is not finite. (A column that C·Q shrank to the
    /// level of rounding is kept: normalized, it is a random direction
    /// outside the others, which is all subspace iteration needs of it.)
    private static func orthonormalize(_ a: inout Matrix) -> Bool {
        let d = a.rows, l = a.columns
        var columns = (0..<l).map { j in (0..<d).map { Double(a[$0, j]) } }
        for j in 0..<l {
            for _ in 0..<2 {
                for k in 0..<j {
                    let dot = zip(columns[k], columns[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<d { columns[j][i] -= dot * columns[k][i] }
                }
            }
            let norm = columns[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else { return false }
            for i in 0..<d { columns[j][i] /= norm }
        }
        a = Matrix(rows: d, columns: l, columnMajor: columns.flatMap { $0.map { Float($0) } })
        return true
    }
}
