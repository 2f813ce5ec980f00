/// A column-major matrix of `Float` with value semantics.
///
/// Element (i, j) is stored at offset `i + j·rows` of a 64-byte aligned buffer
/// that copies are sharing until one of them is mutated (copy-on-write), so
/// passing a matrix around is O(1).
///
/// In the trainer, a batch of samples is a (batch × features) matrix: one
/// sample per row, so each feature is a contiguous column.
public struct Matrix: Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    @usableFromInline var storage: AlignedBuffer

    /// The number of elements, rows × columns.
    public var count: Int { rows * columns }

    /// Creates a (rows × columns) matrix with every element set to `value`.
    ///
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - value: the value of every element.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: `rows ≥ 0` and `columns ≥ 0`.
    public init(rows: Int, columns: Int, repeating value: Float = 0, file: StaticString = #fileID, line: UInt = #line) {
        require(
            rows >= 0 && columns >= 0, "Matrix: shape (\(rows) × \(columns)) has a negative side", file: file, line: line)
        require(
            rows.multipliedReportingOverflow(by: columns).overflow == false,
            "Matrix: shape (\(rows) × \(columns)) has more elements than Int can count", file: file, line: line)
        self.rows = rows
        self.columns = columns
        storage = AlignedBuffer(count: rows * columns, repeating: value)
    }

    /// Creates a matrix from its rows, written as nested arrays so that tests
    /// and examples read like the math: `Matrix([[1, 2], [3, 4]])`.
    ///
    /// - Parameters:
    ///   - rowMajor: the rows, each an array of the same length.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: every row has the same length.
    public init(_ rowMajor: [[Float]], file: StaticString = #fileID, line: UInt = #line) {
        let width = rowMajor.first?.count ?? 0
        for (index, row) in rowMajor.enumerated() where row.count != width {
            requirementFailed("Matrix: row \(index) has \(row.count) elements, row 0 has \(width)", file: file, line: line)
        }
        self.init(rows: rowMajor.count, columns: width)
        for (i, row) in rowMajor.enumerated() {
            for (j, value) in row.enumerated() { storage.pointer[i + j * rows] = value }
        }
    }

    /// Creates a (rows × columns) matrix from its elements in column-major order.
    ///
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - elements: the elements, column after column.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: `elements.count == rows · columns`.
    public init(rows: Int, columns: Int, columnMajor elements: [Float], file: StaticString = #fileID, line: UInt = #line) {
        self.init(rows: rows, columns: columns, file: file, line: line)
        require(
            elements.count == rows * columns,
            "Matrix: \(elements.count) elements cannot fill a (\(rows) × \(columns)) matrix", file: file, line: line)
        elements.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// The (n × n) identity matrix.
    ///
    /// - Parameters:
    ///   - n: the number of rows and columns.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func identity(_ n: Int, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        var result = Matrix(rows: n, columns: n, file: file, line: line)
        for i in 0..<n { result[i, i] = 1 }
        return result
    }

    /// The element in row `row` and column `column`.
    ///
    /// - Parameters:
    ///   - row: the row index, in 0..<rows.
    ///   - column: the column index, in 0..<columns.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: both indices are in range.
    @inlinable
    public subscript(row: Int, column: Int, file: StaticString = #fileID, line: UInt = #line) -> Float {
        get {
            checkIndex(row, column, file, line)
            return storage.pointer[row + column * rows]
        }
        set {
            checkIndex(row, column, file, line)
            makeUnique()
            storage.pointer[row + column * rows] = newValue
        }
    }

    @inlinable
    func checkIndex(_ row: Int, _ column: Int, _ file: StaticString, _ line: UInt) {
        require(
            row >= 0 && row < rows && column >= 0 && column < columns,
            "Matrix: index [\(row), \(column)] is outside the (\(rows) × \(columns)) matrix", file: file, line: line)
    }

    /// Column `j` as an (rows × 1) matrix.
    ///
    /// - Parameters:
    ///   - j: the column index, in 0..<columns.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public func column(_ j: Int, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        require(
            j >= 0 && j < columns, "Matrix: column \(j) is outside the (\(rows) × \(columns)) matrix", file: file, line: line)
        let result = Matrix(rows: rows, columns: 1)
        result.storage.pointer.update(from: storage.pointer + j * rows, count: rows)
        return result
    }

    /// The rows at `indices`, in that order, as an (indices.count × columns) matrix.
    ///
    /// - Parameters:
    ///   - indices: the row indices, each in 0..<rows; repeats allowed.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: every index is in 0..<rows.
    public func rows(at indices: [Int], file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        for (position, i) in indices.enumerated() where !(0..<rows).contains(i) {
            requirementFailed(
                "Matrix.rows(at:): indices[\(position)] = \(i) is outside the (\(rows) × \(columns)) matrix",
                file: file, line: line)
        }
        let result = Matrix(rows: indices.count, columns: columns)
        let p = storage.pointer, q = result.storage.pointer
        for j in 0..<columns {
            for (r, i) in indices.enumerated() { q[r + j * indices.count] = p[i + j * rows] }
        }
        return result
    }

    /// Replaces column `j` with `values`.
    ///
    /// - Parameters:
    ///   - j: the column index, in 0..<columns.
    ///   - values: the new column, `rows` values.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: `values.count == rows`.
    public mutating func setColumn(_ j: Int, to values: [Float], file: StaticString = #fileID, line: UInt = #line) {
        require(
            j >= 0 && j < columns, "Matrix: column \(j) is outside the (\(rows) × \(columns)) matrix", file: file, line: line)
        require(
            values.count == rows, "Matrix: a column of (\(rows) × \(columns)) needs \(rows) values, got \(values.count)",
            file: file, line: line)
        makeUnique()
        values.withUnsafeBufferPointer { (storage.pointer + j * rows).update(from: $0.baseAddress!, count: rows) }
    }

    /// The elements in column-major order.
    public var elements: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// Calls `body` with the elements in column-major order (column stride `rows`).
    ///
    /// - Parameter body: a closure that reads the elements; the pointer is valid only during the call.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: rows * columns))
    }

    /// Calls `body` with mutable access to the elements in column-major order,
    /// copying the storage first if it is shared.
    ///
    /// - Parameter body: a closure that reads and writes the elements; the pointer is valid only during the call.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: rows * columns))
    }

    /// Whether this matrix is the only owner of its storage.
    @inlinable
    var isUnique: Bool { mutating get { isKnownUniquelyReferenced(&storage) } }

    /// Gives this matrix its own copy of the storage if it shares it.
    @inlinable
    mutating func makeUnique() {
        if !isUnique { storage = storage.copy() }
    }
}

extension Matrix: Equatable {
    /// Whether both matrices have the same shape and equal elements (so a
    /// matrix holding NaN is not equal to itself).
    ///
    /// - Parameters:
    ///   - lhs: a matrix.
    ///   - rhs: another matrix.
    public static func == (lhs: Matrix, rhs: Matrix) -> Bool {
        guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else { return false }
        return lhs.withUnsafeBufferPointer { l in rhs.withUnsafeBufferPointer { r in l.elementsEqual(r) } }
    }
}
