import KernelsCore

/// The bias gradient's reduction.
enum ColumnSumsKernel {
    /// `sums[j] = Σᵢ a[i, j]` for an (rows × columns) column-major block. Each
    /// column is summed in one fixed order (two vector partial sums, then
    /// their lanes), whatever the thread count.
    static func sums(rows: Int, columns: Int, _ a: UnsafePointer<Float>, lda: Int, into sums: UnsafeMutablePointer<Float>) {
        typealias M = PreferredMath
        let lanes = M.Vector.scalarCount, full = rows / lanes * lanes
        for j in 0..<columns {
            let column = a + j * lda
            var accumulators = (M.Vector(), M.Vector())
            var i = 0
            while i + 2 * lanes <= full {
                accumulators.0 += M.load(column + i, count: lanes)
                accumulators.1 += M.load(column + i + lanes, count: lanes)
                i += 2 * lanes
            }
            if i < full { accumulators.0 += M.load(column + i, count: lanes) }
            if full < rows { accumulators.1 += M.load(column + full, count: rows - full) }
            sums[j] = (accumulators.0 + accumulators.1).sum()
        }
    }
}
