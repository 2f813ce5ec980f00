/// The arguments of one GEMM call `C ← α·op(A)·op(B) + β·C`, already checked:
/// op(A) is (m × k), op(B) is (k × n), C is (m × n), all column-major.
package struct GEMMOperands {
    package var transA: Transpose
    package var transB: Transpose
    package var m: Int
    package var n: Int
    package var k: Int
    package var alpha: Float
    package var a: UnsafePointer<Float>
    package var lda: Int
    package var b: UnsafePointer<Float>
    package var ldb: Int
    package var beta: Float
    package var c: UnsafeMutablePointer<Float>
    package var ldc: Int
    /// Applied to each tile of C once its product is complete.
    package var epilogue: GEMMEpilogue

    /// The arguments of one call, checked by the caller.
    package init(
        transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue
    ) {
        self.transA = transA
        self.transB = transB
        self.m = m
        self.n = n
        self.k = k
        self.alpha = alpha
        self.a = a
        self.lda = lda
        self.b = b
        self.ldb = ldb
        self.beta = beta
        self.c = c
        self.ldc = ldc
        self.epilogue = epilogue
    }

    /// The same product restricted to rows `rows` and columns `columns` of C.
    package func block(rows: Range<Int>, columns: Range<Int>) -> GEMMOperands {
        var sub = self
        sub.m = rows.count
        sub.n = columns.count
        sub.a = transA == .noTranspose ? a + rows.lowerBound : a + rows.lowerBound * lda
        sub.b = transB == .noTranspose ? b + columns.lowerBound * ldb : b + columns.lowerBound
        sub.c = c + rows.lowerBound + columns.lowerBound * ldc
        sub.epilogue = epilogue.offset(row: rows.lowerBound, column: columns.lowerBound)
        return sub
    }
}
