extension Matrix {
    /// Computes `C ← α·A·B + β·C` into a preallocated matrix, allocating
    /// nothing. `A` and `B` may be transposed views.
    ///
    /// When `β = 0` the old contents of `c` are not read.
    ///
    /// - Parameters:
    ///   - a: A, (m × k), or a transposed view of a (k × m) matrix.
    ///   - b: B, (k × n), or a transposed view.
    ///   - c: C, (m × n), overwritten with the result.
    ///   - alpha: the scale α of the product.
    ///   - beta: the scale β of C's old contents; 0 ignores them.
    ///   - threads: overrides ``Threading/threadCount`` for this call.
    ///   - file: the caller's file, reported if a precondition fails.
    ///   - line: the caller's line, reported if a precondition fails.
    /// - Precondition: A is (m × k), B is (k × n) and C is (m × n).
    /// - Complexity: O(m·n·k).
    public static func multiply(
        _ a: some MatrixOperand, _ b: some MatrixOperand, into c: inout Matrix,
        alpha: Float = 1, beta: Float = 0, threads: Int? = nil, file: StaticString = #fileID, line: UInt = #line
    ) {
        let m = a.operandRows, k = a.operandColumns, n = b.operandColumns
        require(
            b.operandRows == k,
            "Matrix product: (\(m) × \(k)) · (\(b.operandRows) × \(n)): inner dimensions \(k) and \(b.operandRows) differ",
            file: file, line: line)
        require(
            c.rows == m && c.columns == n,
            "Matrix product: output is (\(c.rows) × \(c.columns)), but (\(m) × \(k)) · (\(k) × \(n)) is (\(m) × \(n))",
            file: file, line: line)
        let sa = a.stored, sb = b.stored
        let ldc = max(1, c.rows)
        c.withUnsafeMutableBufferPointer { pc in
            sgemm(
                transA: a.operation, transB: b.operation, m: m, n: n, k: k, alpha: alpha,
                a: sa.storage.pointer, lda: max(1, sa.rows), b: sb.storage.pointer, ldb: max(1, sb.rows),
                beta: beta, c: pc.baseAddress!, ldc: ldc, options: GEMMOptions(threads: threads))
        }
    }

    /// The matrix product `A·B` in a new matrix. `A` and `B` may be transposed views.
    ///
    /// - Parameters:
    ///   - a: the (m × k) left factor.
    ///   - b: the (k × n) right factor, a matrix or a transposed view.
    /// - Precondition: the columns of A equal the rows of B.
    /// - Complexity: O(m·n·k).
    public static func * (a: Matrix, b: some MatrixOperand) -> Matrix {
        product(a, b)
    }

    static func product(_ a: some MatrixOperand, _ b: some MatrixOperand) -> Matrix {
        var c = Matrix(rows: a.operandRows, columns: b.operandColumns)
        multiply(a, b, into: &c)
        return c
    }
}

extension TransposedMatrix {
    /// The matrix product `Aᵀ·B` in a new matrix; `B` may be a transposed view.
    ///
    /// - Parameters:
    ///   - a: the transposed view of a (k × m) matrix.
    ///   - b: the (k × n) right factor, a matrix or a transposed view.
    /// - Precondition: the columns of Aᵀ equal the rows of B.
    /// - Complexity: O(m·n·k).
    public static func * (a: TransposedMatrix, b: some MatrixOperand) -> Matrix {
        Matrix.product(a, b)
    }
}
