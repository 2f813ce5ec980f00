extension Elementwise {
    /// `sums[j] = Σᵢ a[i, j]` for an (rows × columns) column-major block with
    /// leading dimension `lda`: the bias gradient of a layer (δ summed over
    /// the samples of a batch).
    ///
    /// Each column is summed in one fixed order (vector partial sums, then
    /// their lanes), so the result never depends on the thread count.
    ///
    /// - Parameters:
    ///   - rows: the rows of the block (the samples).
    ///   - columns: the columns of the block, and the length of `sums`.
    ///   - a: the first element of the block, column-major.
    ///   - lda: the block's leading dimension, at least `rows`.
    ///   - sums: the `columns` sums, overwritten.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func columnSums(
        rows: Int, columns: Int, _ a: UnsafePointer<Float>, lda: Int, into sums: UnsafeMutablePointer<Float>,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        require(
            rows >= 0 && columns >= 0 && lda >= max(1, rows),
            "Elementwise.columnSums: bad shape \(rows) × \(columns), lda \(lda)", file: file, line: line)
        KernelDispatch.implementation.columnSums(rows: rows, columns: columns, a, lda: lda, into: sums)
    }
}

extension Matrix {
    /// The (1 × columns) row of column sums, by ``Elementwise/columnSums(rows:columns:_:lda:into:file:line:)``.
    public func columnSums() -> Matrix {
        var result = Matrix(rows: 1, columns: columns)
        withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { sums in
                guard let a = a.baseAddress, let sums = sums.baseAddress else { return }
                Elementwise.columnSums(rows: rows, columns: columns, a, lda: max(1, rows), into: sums)
            }
        }
        return result
    }
}
