/// The arguments of one GEMM call `C ← α·op(A)·op(B) + β·C`, already checked:
/// op(A) is (m × k), op(B) is (k × n), C is (m × n), all column-major.
struct GEMMOperands {
    var transA: Transpose
    var transB: Transpose
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var a: UnsafePointer<Float>
    var lda: Int
    var b: UnsafePointer<Float>
    var ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
    /// Applied to each tile of C once its product is complete.
    var epilogue: GEMMEpilogue = .none

    /// The same product restricted to rows `rows` and columns `columns` of C.
    func block(rows: Range<Int>, columns: Range<Int>) -> GEMMOperands {
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
