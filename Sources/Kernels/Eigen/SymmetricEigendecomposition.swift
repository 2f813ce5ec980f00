/// The eigendecomposition S = U·Λ·Uᵀ of a real symmetric matrix: eigenvalues
/// in descending order and orthonormal eigenvectors, all of them or the k
/// with the largest eigenvalues.
///
/// The method (Docs/PCA.md): Householder reduction to tridiagonal form,
/// blocked so that half its work runs in the GEMM; eigenvalues of the
/// tridiagonal matrix by implicit QL with Wilkinson shifts and eigenvectors
/// by inverse iteration, both in Double; then the reflectors applied to those
/// vectors through the GEMM. Asking for k ≪ n eigenpairs skips the solves and
/// most of the back-transformation of the others.
///
/// Accuracy, checked by the tests with LAPACK's ratios: the residual
/// ‖S·U − U·Λ‖ / (n·‖S‖·ε) and the loss of orthogonality ‖UᵀU − I‖ / (n·ε)
/// stay below 30 (ε = `Float.ulpOfOne`); eigenvalues are within n·‖S‖·ε of
/// the exact ones.
///
/// Signs are fixed: the entry of largest magnitude in each eigenvector (the
/// first such, on ties) is positive. The result is bitwise identical for any
/// thread count.
public struct SymmetricEigendecomposition: Sendable {
    /// The eigenvalues, largest first.
    public let eigenvalues: [Float]
    /// The eigenvectors as the columns of an (n × k) matrix, in the order of ``eigenvalues``.
    public let eigenvectors: Matrix

    /// Off-diagonal pairs may differ by this times the largest |entry| and
    /// still count as symmetric; the lower triangle is used.
    public static let symmetryTolerance: Float = 1e-4

    /// Decomposes the symmetric (n × n) matrix `s`.
    ///
    /// - Parameters:
    ///   - s: the symmetric (n × n) matrix; its lower triangle is read.
    ///   - count: how many eigenpairs, those with the largest eigenvalues;
    ///     `nil` for all n.
    ///   - threads: overrides ``Threading/threadCount`` for the GEMMs.
    /// - Throws: ``EigendecompositionError`` when `s` is empty, not square,
    ///   not symmetric within ``symmetryTolerance``, holds NaN or infinity, or
    ///   `count` is outside 1…n.
    /// - Complexity: 4n³/3 flops for the reduction plus 2n²·k for the vectors.
    public init(_ s: Matrix, count: Int? = nil, threads: Int? = nil) throws(EigendecompositionError) {
        let n = s.rows
        guard n == s.columns else { throw .notSquare(rows: s.rows, columns: s.columns) }
        guard n > 0 else { throw .empty }
        let k = count ?? n
        guard (1...n).contains(k) else { throw .invalidCount(k, size: n) }
        try Self.checkSymmetric(s)
        let threads = threads ?? Threading.threadCount
        let reduction = s.withUnsafeBufferPointer { Tridiagonalization(lowerOf: $0.baseAddress!, n: n, threads: threads) }
        let tridiagonal = SymmetricTridiagonal(diagonal: reduction.diagonal, offDiagonal: reduction.offDiagonal)
        let pairs: (values: [Double], vectors: [Double])
        do {
            pairs = try tridiagonal.largestEigenpairs(count: k)
        } catch {
            throw .noConvergence
        }
        var vectors = Matrix(rows: n, columns: k, columnMajor: pairs.vectors.map { Float($0) })
        vectors.withUnsafeMutableBufferPointer { reduction.applyQ(to: $0.baseAddress!, columns: k, threads: threads) }
        vectors.fixSigns()
        eigenvalues = pairs.values.map { Float($0) }
        eigenvectors = vectors
    }

    private static func checkSymmetric(_ s: Matrix) throws(EigendecompositionError) {
        let n = s.rows
        var largest: Float = 0
        for j in 0..<n {
            for i in 0..<n {
                let value = s[i, j]
                guard value.isFinite else { throw .nonFinite(row: i, column: j, value: value) }
                largest = max(largest, abs(value))
            }
        }
        for j in 0..<n {
            for i in (j + 1)..<n where abs(s[i, j] - s[j, i]) > symmetryTolerance * largest {
                throw .notSymmetric(row: i, column: j, lower: s[i, j], upper: s[j, i])
            }
        }
    }
}

extension Matrix {
    /// Makes the entry of largest magnitude in each column positive (the
    /// first such entry on ties), the sign convention of eigenvectors and
    /// principal components.
    public mutating func fixSigns() {
        let rows = self.rows, columns = self.columns
        withUnsafeMutableBufferPointer { buffer in
            for j in 0..<columns {
                let column = buffer.baseAddress! + j * rows
                var best = 0
                for i in 0..<rows where abs(column[i]) > abs(column[best]) { best = i }
                if rows > 0, column[best] < 0 {
                    for i in 0..<rows { column[i] = -column[i] }
                }
            }
        }
    }
}

/// Why a symmetric eigendecomposition was refused.
public enum EigendecompositionError: Error, Equatable, CustomStringConvertible {
    /// The matrix has no rows or no columns.
    case empty
    /// The matrix is (rows × columns) with rows ≠ columns.
    case notSquare(rows: Int, columns: Int)
    /// Entries (row, column) and (column, row) differ beyond the tolerance.
    case notSymmetric(row: Int, column: Int, lower: Float, upper: Float)
    /// The entry at (row, column) is NaN or infinite.
    case nonFinite(row: Int, column: Int, value: Float)
    /// The requested eigenpair count is outside 1…size.
    case invalidCount(Int, size: Int)
    /// The QL iteration did not converge (not seen on finite symmetric input).
    case noConvergence

    /// One line naming the problem.
    public var description: String {
        switch self {
        case .empty: return "eigendecomposition: the matrix is empty (0 × 0)"
        case .notSquare(let rows, let columns): return "eigendecomposition: the matrix is (\(rows) × \(columns)), not square"
        case .notSymmetric(let row, let column, let lower, let upper):
            return "eigendecomposition: the matrix is not symmetric: [\(row), \(column)] = \(lower) but [\(column), \(row)] = \(upper)"
        case .nonFinite(let row, let column, let value): return "eigendecomposition: entry [\(row), \(column)] is \(value)"
        case .invalidCount(let count, let size):
            return "eigendecomposition: asked for \(count) eigenpairs of a (\(size) × \(size)) matrix; ask for 1 to \(size)"
        case .noConvergence: return "eigendecomposition: QL iteration did not converge"
        }
    }
}
