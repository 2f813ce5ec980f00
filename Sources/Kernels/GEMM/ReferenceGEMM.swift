/// The naive triple loop for `C ← α·op(A)·op(B) + β·C`, accumulating in
/// `Double`: the oracle the fast GEMM is tested against and a readable
/// statement of what it computes.
///
/// Arguments are those of ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// and are not checked. As in reference BLAS, `β = 0` overwrites C without
/// reading it.
///
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
