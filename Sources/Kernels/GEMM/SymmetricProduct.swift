extension Matrix {
    /// Columns of C computed per GEMM call of ``symmetricProduct(_:alpha:threads:)``:
    /// the n of each call, which cuts the work above the diagonal to
    /// about blockWidth/(2·columns) of the full product.
    static let symmetricBlockWidth = 128

    /// C = α·AᵀA, the (n × n) symmetric product of a (k × n) matrix — a
    /// covariance or Gram matrix — exactly symmetric.
    ///
    /// Only the blocks on and below the diagonal are computed, one GEMM per
    /// column block of 128 columns:
    /// C[j₀..<n, j₀..<j₁] = α·A[:, j₀..<n]ᵀ·A[:, j₀..<j₁]; the upper triangle is
    /// then copied from the lower one. That is about half the flops of the
    /// full product (the BLAS routine `ssyrk`), bitwise identical for any
    /// thread count.
    ///
    /// - Parameters:
    ///   - a: the (k × n) matrix A.
    ///   - alpha: the scale α.
    ///   - threads: overrides ``Threading/threadCount``.
    /// - Complexity: about k·n·(n + 128) flops.
    public static func symmetricProduct(_ a: Matrix, alpha: Float = 1, threads: Int? = nil) -> Matrix {
        let n = a.columns, k = a.rows
        var c = Matrix(rows: n, columns: n)
        guard n > 0 else { return c }
        let options = GEMMOptions(threads: threads)
        let ld = max(1, k)
        a.withUnsafeBufferPointer { a in
            c.withUnsafeMutableBufferPointer { c in
                let a = a.baseAddress!, c = c.baseAddress!
                for start in stride(from: 0, to: n, by: symmetricBlockWidth) {
                    let width = min(symmetricBlockWidth, n - start)
                    sgemm(
                        transA: .transpose, transB: .noTranspose, m: n - start, n: width, k: k, alpha: alpha,
                        a: a + start * ld, lda: ld, b: a + start * ld, ldb: ld,
                        beta: 0, c: c + start * n + start, ldc: n, options: options)
                }
                for j in 0..<n {
                    for i in (j + 1)..<n { c[j + i * n] = c[i + j * n] }
                }
            }
        }
        return c
    }
}
