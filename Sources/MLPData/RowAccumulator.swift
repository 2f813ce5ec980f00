import Kernels

/// Collects rows (row-major, as they are read) and turns them into a
/// ``LabelledTable`` (column-major features).
struct RowAccumulator {
    let name: String
    private var values: [Float] = []
    private var labels: [String] = []
    private var lines: [Int] = []

    init(name: String) { self.name = name }

    var count: Int { lines.count }

    mutating func append(_ row: UnsafeBufferPointer<Float>, label: String, line: Int) {
        values.append(contentsOf: row)
        labels.append(label)
        lines.append(line)
    }

    /// The table; NaNs (kept missing values) are filled with their column's
    /// mean when `missing` is `.mean`.
    func table(layout: CSVLayout, missing: MissingValues) throws -> LabelledTable {
        guard count > 0 else { throw DataError(file: name, message: "no data rows") }
        let width = layout.featureCount, rows = count
        var columns = [Float](repeating: 0, count: rows * width)
        var filled = 0
        for j in 0..<width {
            var sum = 0.0, present = 0
            for i in 0..<rows {
                let x = values[i * width + j]
                columns[j * rows + i] = x
                if !x.isNaN {
                    sum += Double(x)
                    present += 1
                }
            }
            guard present < rows, missing == .mean else { continue }
            guard present > 0 else {
                throw DataError(file: name, column: j + 1, message: "every value of feature \(j + 1) is missing; there is no mean to fill in")
            }
            let mean = Float(sum / Double(present))
            for i in 0..<rows where columns[j * rows + i].isNaN {
                columns[j * rows + i] = mean
                filled += 1
            }
        }
        return LabelledTable(
            name: name, features: Matrix(rows: rows, columns: width, columnMajor: columns), labels: labels, lines: lines,
            layout: layout, filledValues: filled)
    }
}
