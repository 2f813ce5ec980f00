extension Matrix: CustomStringConvertible {
    /// The shape, then the rows; matrices over 8 rows or columns show their
    /// corners with `…`.
    ///
    ///     (2 × 3)
    ///     [ 1.0  2.0  3.0 ]
    ///     [ 4.0  5.0  6.0 ]
    public var description: String {
        let shown = 8
        let rowIndices = Self.indices(rows, shown)
        let columnIndices = Self.indices(columns, shown)
        var cells = rowIndices.map { i in columnIndices.map { j in j < 0 || i < 0 ? "…" : "\(self[i, j])" } }
        let width = cells.joined().map(\.count).max() ?? 0
        cells = cells.map { $0.map { String(repeating: " ", count: width - $0.count) + $0 } }
        return ([shapeDescription] + cells.map { "[ " + $0.joined(separator: "  ") + " ]" })
            .joined(separator: "\n")
    }

    /// "(rows × columns)": how ``description`` and error messages write a shape.
    public var shapeDescription: String { "(\(rows) × \(columns))" }

    /// The indices to show out of `count`: all, or the first and last few with
    /// −1 standing for the gap.
    private static func indices(_ count: Int, _ shown: Int) -> [Int] {
        count <= shown ? Array(0..<count) : Array(0..<(shown / 2)) + [-1] + Array((count - shown / 2)..<count)
    }
}
