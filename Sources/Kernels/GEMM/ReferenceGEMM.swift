/// The naive triple loop for `C ← α·op(A)·op(B) + β·C`, accumulating in
/// `Double`: the oracle the fast GEMM is tested against and a readable
/// statement of what it computes.
///
/// Arguments are those of ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// and are not checked. As in reference BLAS, `β = 0` overwrites C without
/// reading it.
///
/// - Parameters:
///   - transA: `.transpose` when op(A) = Aᵀ, `.noTranspose` when op(A) = A.
///   - transB: `.transpose` when op(B) = Bᵀ, `.noTranspose` when op(B) = B.
///   - m: the rows of op(A) and of C.
///   - n: the columns of op(B) and of C.
///   - k: the columns of op(A) and rows of op(B).
///   - alpha: the factor α of the product.
///   - a: the first element of A, column-major.
///   - lda: A's leading dimension: the distance between its columns, at least its rows (and at least 1).
///   - b: the first element of B, column-major.
///   - ldb: B's leading dimension, at least its rows (and at least 1).
///   - beta: the factor β of C's old value; 0 overwrites C without reading it.
///   - c: the first element of C, column-major; the result.
///   - ldc: C's leading dimension, at least m (and at least 1).
/// - Complexity: O(m·n·k), single-threaded, unblocked.
public func referenceSGEMM(
    transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for j in 0..<n {
        for i in 0..<m {
            var sum = 0.0
            for p in 0..<k {
                let aip = transA == .noTranspose ? a[i + p * lda] : a[p + i * lda]
                let bpj = transB == .noTranspose ? b[p + j * ldb] : b[j + p * ldb]
                sum += Double(aip) * Double(bpj)
            }
            let old = beta == 0 ? 0 : Double(beta) * Double(c[i + j * ldc])
            c[i + j * ldc] = Float(Double(alpha) * sum + old)
        }
    }
}
