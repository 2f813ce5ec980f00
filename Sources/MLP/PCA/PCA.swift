import Kernels

/// Principal component analysis of a (samples × features) matrix X.
///
/// The M directions of largest variance are the top M eigenvectors of the
/// covariance (1/N)·XcᵀXc of the mean-centred data Xc (N samples): the same
/// directions minimize the mean squared reconstruction error, which on the
/// training data equals the sum of the discarded eigenvalues (Docs/PCA.md).
///
/// When N < D the (N × N) Gram matrix (1/N)·Xc·Xcᵀ is decomposed instead,
/// and the components are uᵢ = Xcᵀvᵢ / √(N·λᵢ); for a few components of a
/// large matrix, randomized subspace iteration is used (``Route``). Components follow
/// the sign convention of `SymmetricEigendecomposition`; the fit is
/// deterministic and bitwise identical for any thread count.
///
/// ``explainedVariance`` is λ·N/(N − 1), the unbiased variance along each
/// component, as scikit-learn reports it.
public struct PCA: Sendable, Equatable {
    /// Which eigenproblem a fit solves.
    public enum Route: String, Sendable, Equatable {
        /// Randomized when M ≤ min(N, D)/10 and N·D ≥ 2²⁰; otherwise the
        /// (D × D) covariance when N ≥ D, the (N × N) Gram matrix when N < D.
        case automatic
        /// The covariance (1/N)·XcᵀXc.
        case covariance
        /// The Gram matrix (1/N)·Xc·Xcᵀ.
        case gram
        /// Randomized subspace iteration with the covariance applied to thin
        /// blocks through Xc, never formed (Docs/PCA.md); checked: a result
        /// that fails its residual test is replaced by the covariance route's.
        case randomized
    }

    /// The mean of each feature (D).
    public let mean: [Float]
    /// The components as the columns of a (D × M) matrix, by decreasing variance.
    public let components: Matrix
    /// The variance along each component, with 1/(N − 1) (M).
    public let explainedVariance: [Float]
    /// Each component's share of the total variance (M).
    public let explainedVarianceRatio: [Float]
    /// The sum of the features' variances, with 1/(N − 1).
    public let totalVariance: Float
    /// The number of samples fitted, N.
    public let sampleCount: Int
    /// Whether ``transform(_:threads:)`` scales each component to unit variance.
    public let whitens: Bool
    /// The eigenproblem that was solved.
    public let route: Route

    /// The number of features, D.
    public var featureCount: Int { mean.count }
    /// The number of components, M.
    public var componentCount: Int { components.columns }

    /// Fits M components to (N × D) `x`.
    ///
    /// - Parameters:
    ///   - x: the (N × D) data, one sample per row.
    ///   - components: M, from 1 to min(N − 1, D).
    ///   - whiten: whether ``transform(_:threads:)`` divides each component by its
    ///     standard deviation.
    ///   - route: which eigenproblem to solve; ``Route/automatic`` by default.
    ///   - threads: overrides `Threading.threadCount` for the GEMMs.
    /// - Throws: ``PCAError`` for too few samples, an M out of range, a
    ///   non-finite value (with its row and column), or data of lower rank
    ///   than M on the Gram route (its components are then undefined).
    /// - Complexity: N·D² flops for the covariance (N²·D for the Gram
    ///   matrix) plus 4D³/3 for its eigendecomposition (4N³/3); about
    ///   20·N·D·l for the randomized route (five products C·Q of 4·N·D·l each, l ≈ M + 8).
    public init(
        fitting x: Matrix, components: Int, whiten: Bool = false, route: Route = .automatic, threads: Int? = nil
    ) throws(PCAError) {
        let n = x.rows, d = x.columns
        guard n >= 2, d >= 1 else { throw .tooFewSamples(rows: n, columns: d) }
        guard (1...min(n - 1, d)).contains(components) else {
            throw .componentCount(components, limit: min(n - 1, d), rows: n, columns: d)
        }
        let (mean, centred, sumOfSquares) = try Self.centre(x)
        let total = sumOfSquares / Double(n - 1)
        var chosen: Route = route == .automatic ? Self.automaticRoute(rows: n, columns: d, components: components) : route
        let values: [Float], vectors: Matrix
        if chosen == .randomized, let checked = Self.randomized(centred, components: components, threads: threads) {
            (values, vectors) = checked
        } else {
            if chosen == .randomized { chosen = .covariance }
            (values, vectors) = try Self.solve(centred, components: components, route: chosen, threads: threads)
        }
        self.mean = mean
        self.components = vectors
        explainedVariance = values.map { Float(max(0, Double($0)) * Double(n) / Double(n - 1)) }
        totalVariance = Float(total)
        explainedVarianceRatio = Self.ratios(explainedVariance, of: totalVariance)
        sampleCount = n
        whitens = whiten
        self.route = chosen
    }

    /// A fitted PCA given part by part (how a saved one is read back).
    ///
    /// - Parameters:
    ///   - mean: the (D) feature means.
    ///   - components: the (D × M) components, one per column.
    ///   - explainedVariance: the M components' variances.
    ///   - totalVariance: the fitted data's total variance.
    ///   - sampleCount: the number of samples fitted.
    ///   - whitens: whether `transform(_:threads:)` divides by the components' standard deviations.
    ///   - route: the route that fitted it.
    /// - Throws: ``ArgumentError`` unless the sizes agree: `mean` (D),
    ///   `components` (D × M), and M variances.
    public init(
        mean: [Float], components: Matrix, explainedVariance: [Float], totalVariance: Float, sampleCount: Int,
        whitens: Bool, route: Route
    ) throws(ArgumentError) {
        try check(
            components.rows == mean.count, "PCA",
            "components \(components.shapeDescription) need a row per feature; mean has \(mean.count) features")
        try check(
            explainedVariance.count == components.columns, "PCA",
            "explainedVariance has \(explainedVariance.count) values for the \(components.columns) columns of components \(components.shapeDescription)")
        self.mean = mean
        self.components = components
        self.explainedVariance = explainedVariance
        explainedVarianceRatio = Self.ratios(explainedVariance, of: totalVariance)
        self.totalVariance = totalVariance
        self.sampleCount = sampleCount
        self.whitens = whitens
        self.route = route
    }

    private static func ratios(_ variances: [Float], of total: Float) -> [Float] {
        variances.map { total > 0 ? $0 / total : 0 }
    }

    /// The route `.automatic` takes: randomized for a few components of a
    /// large matrix, else the Gram matrix when N < D, else the covariance.
    static func automaticRoute(rows n: Int, columns d: Int, components m: Int) -> Route {
        if m * 10 <= min(n, d), n * d >= 1 << 20 { return .randomized }
        return n < d ? .gram : .covariance
    }

    /// The mean of each column, the centred data and Σ (x − mean)² over all
    /// values, checking every value. Two passes per column: the sum, then
    /// the centred copy and its squares; each sums blocks of 512 rows in
    /// eight Float lanes and the blocks in Double. A column whose fast sum is
    /// not finite is scanned for the culprit (and, if every value is finite
    /// but large, summed in Double).
    private static func centre(_ x: Matrix) throws(PCAError) -> (mean: [Float], centred: Matrix, sumOfSquares: Double) {
        let n = x.rows
        var mean = [Float](repeating: 0, count: x.columns)
        var centred = Matrix(rows: n, columns: x.columns)
        var squares: Double = 0
        var bad: (Int, Int, Float)?
        x.withUnsafeBufferPointer { buffer in
            centred.withUnsafeMutableBufferPointer { target in
                for j in 0..<x.columns {
                    let column = buffer.baseAddress! + j * n, output = target.baseAddress! + j * n
                    var sum = blockSum(column, count: n) { $0 }
                    if !sum.isFinite {
                        if let i = (0..<n).first(where: { !column[$0].isFinite }) {
                            bad = (i, j, column[i])
                            return
                        }
                        sum = (0..<n).reduce(0.0) { $0 + Double(column[$1]) }
                    }
                    let mu = Float(sum / Double(n))
                    mean[j] = mu
                    for i in 0..<n { output[i] = column[i] - mu }
                    squares += blockSum(output, count: n) { $0 * $0 }
                }
            }
        }
        if let (row, column, value) = bad { throw .nonFinite(row: row, column: column, value: value) }
        return (mean, centred, squares)
    }

    /// Σ f(x) over `count` floats: eight Float lanes per block of 512, the blocks in Double.
    @inline(__always)
    private static func blockSum(_ x: UnsafePointer<Float>, count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Double {
        var total: Double = 0, i = 0
        while i < count {
            let end = min(count, i + 512)
            var lanes = SIMD8<Float>()
            while i + 8 <= end {
                lanes += f(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
                i += 8
            }
            if i < end {
                var tail = SIMD8<Float>()
                for l in 0..<(end - i) { tail[l] = x[i + l] }
                // Padding lanes must add nothing: zero them after f.
                let padding = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8(repeating: Int32(end - i))
                lanes += f(tail).replacing(with: 0, where: padding)
                i = end
            }
            total += Double(lanes.sum())
        }
        return total
    }

    /// The top eigenpairs of the covariance, as (λ, components).
    private static func solve(_ centred: Matrix, components m: Int, route: Route, threads: Int?) throws(PCAError) -> ([Float], Matrix) {
        let n = centred.rows
        let scale = 1 / Float(n)
        do {
            if route == .gram {
                // G = (1/N)·Xc·Xcᵀ; uᵢ = Xcᵀvᵢ / √(N·λᵢ).
                let gram = Matrix.symmetricProduct(Matrix(centred.transposed()), alpha: scale, threads: threads)
                let eigen = try SymmetricEigendecomposition(gram, count: m, threads: threads)
                let floor = Float(n) * Float.ulpOfOne * max(eigen.eigenvalues[0], 0)
                if let rank = eigen.eigenvalues.firstIndex(where: { $0 <= floor }) { throw PCAError.rankDeficient(rank: rank, requested: m) }
                var u = Matrix(rows: centred.columns, columns: m)
                Matrix.multiply(centred.transposed(), eigen.eigenvectors, into: &u, threads: threads)
                scaleColumns(&u, by: eigen.eigenvalues.map { 1 / (Float(n) * $0).squareRoot() })
                u.fixSigns()
                return (eigen.eigenvalues, u)
            }
            let covariance = Matrix.symmetricProduct(centred, alpha: scale, threads: threads)
            let eigen = try SymmetricEigendecomposition(covariance, count: m, threads: threads)
            return (eigen.eigenvalues, eigen.eigenvectors)
        } catch let error as PCAError {
            throw error
        } catch {
            throw .eigendecomposition("\(error)")
        }
    }
}

/// Why a PCA could not be fitted or applied.
public enum PCAError: Error, Equatable, CustomStringConvertible {
    /// The data has fewer than 2 rows or no column.
    case tooFewSamples(rows: Int, columns: Int)
    /// The component count is outside 1…limit for (rows × columns) data.
    case componentCount(Int, limit: Int, rows: Int, columns: Int)
    /// The value at (row, column) is NaN or infinite.
    case nonFinite(row: Int, column: Int, value: Float)
    /// The Gram route found fewer independent directions than requested.
    case rankDeficient(rank: Int, requested: Int)
    /// The data has another feature count than the fitted PCA.
    case featureCount(Int, expected: Int)
    /// The eigensolver refused the matrix (its message).
    case eigendecomposition(String)

    /// One line naming the problem.
    public var description: String {
        switch self {
        case .tooFewSamples(let rows, let columns):
            return "PCA needs at least 2 samples and 1 feature; the data is (\(rows) × \(columns))"
        case .componentCount(let m, let limit, let rows, let columns):
            return "PCA: \(m) components asked for; (\(rows) × \(columns)) data allows 1 to \(limit) (min(N − 1, D))"
        case .nonFinite(let row, let column, let value):
            return "PCA: sample \(row + 1), feature \(column + 1) is \(value)"
        case .rankDeficient(let rank, let requested):
            return "PCA: the centred data has rank \(rank), fewer than the \(requested) components asked for"
        case .featureCount(let found, let expected):
            return "PCA: the data has \(found) features, the PCA was fitted on \(expected)"
        case .eigendecomposition(let detail): return "PCA: \(detail)"
        }
    }
}
