infix operator .* : MultiplicationPrecedence
infix operator .*= : AssignmentPrecedence

extension Matrix {
    /// Applies `combine` to corresponding elements of `self` and `other`, in place.
    @inlinable
    mutating func formElementwise(_ other: Matrix, _ operation: String, _ combine: (Float, Float) -> Float) {
        require(
            rows == other.rows && columns == other.columns,
            "Matrix \(operation): shapes (\(rows) × \(columns)) and (\(other.rows) × \(other.columns)) differ")
        makeUnique()
        let p = storage.pointer, q = other.storage.pointer
        for index in 0..<(rows * columns) { p[index] = combine(p[index], q[index]) }
    }

    /// Applies `transform` to every element, in place.
    @inlinable
    mutating func formMap(_ transform: (Float) -> Float) {
        makeUnique()
        let p = storage.pointer
        for index in 0..<(rows * columns) { p[index] = transform(p[index]) }
    }

    /// A matrix of the same shape holding `transform` of each element.
    ///
    /// - Parameter transform: the function applied to each element.
    public func map(_ transform: (Float) throws -> Float) rethrows -> Matrix {
        let result = Matrix(rows: rows, columns: columns)
        let source = storage.pointer, target = result.storage.pointer
        for index in 0..<(rows * columns) { target[index] = try transform(source[index]) }
        return result
    }

    /// Elementwise sum.
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        var r = lhs
        r += rhs
        return r
    }
    /// Elementwise difference.
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        var r = lhs
        r -= rhs
        return r
    }
    /// Elementwise (Hadamard) product `A ⊙ B`.
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func .* (lhs: Matrix, rhs: Matrix) -> Matrix {
        var r = lhs
        r .*= rhs
        return r
    }

    /// Adds `rhs` elementwise.
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func += (lhs: inout Matrix, rhs: Matrix) { lhs.formElementwise(rhs, "sum", +) }
    /// Subtracts `rhs` elementwise.
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func -= (lhs: inout Matrix, rhs: Matrix) { lhs.formElementwise(rhs, "difference", -) }
    /// Multiplies by `rhs` elementwise (`A ← A ⊙ B`).
    ///
    /// - Precondition: equal shapes.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func .*= (lhs: inout Matrix, rhs: Matrix) { lhs.formElementwise(rhs, "elementwise product", *) }

    /// Each element times a scalar.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func * (lhs: Matrix, rhs: Float) -> Matrix { lhs.map { $0 * rhs } }
    /// Each element times a scalar.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func * (lhs: Float, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
    /// Each element divided by a scalar.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func / (lhs: Matrix, rhs: Float) -> Matrix { lhs.map { $0 / rhs } }
    /// Each element plus a scalar.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func + (lhs: Matrix, rhs: Float) -> Matrix { lhs.map { $0 + rhs } }
    /// Each element minus a scalar.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func - (lhs: Matrix, rhs: Float) -> Matrix { lhs.map { $0 - rhs } }
    /// Each element negated.
    ///
    /// - Parameter operand: the matrix to negate.
    public static prefix func - (operand: Matrix) -> Matrix { operand.map { -$0 } }
    /// Multiplies each element by a scalar, in place.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand.
    public static func *= (lhs: inout Matrix, rhs: Float) { lhs.formMap { $0 * rhs } }

    /// Adds the (rows × 1) column vector `v` to every column, in place (a bias
    /// per row).
    ///
    /// - Parameters:
    ///   - v: the (rows × 1) column vector.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: `v` is (rows × 1).
    public mutating func addToEachColumn(_ v: Matrix, file: StaticString = #fileID, line: UInt = #line) {
        require(
            v.rows == rows && v.columns == 1,
            "Matrix broadcast: (\(v.rows) × \(v.columns)) is not a (\(rows) × 1) column for (\(rows) × \(columns))",
            file: file, line: line)
        makeUnique()
        let p = storage.pointer, q = v.storage.pointer
        for j in 0..<columns {
            for i in 0..<rows { p[i + j * rows] += q[i] }
        }
    }

    /// Adds the (1 × columns) row vector `v` to every row, in place (a bias per
    /// column, as for a batch of samples stored one per row).
    ///
    /// - Parameters:
    ///   - v: the (1 × columns) row vector.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: `v` is (1 × columns).
    public mutating func addToEachRow(_ v: Matrix, file: StaticString = #fileID, line: UInt = #line) {
        require(
            v.rows == 1 && v.columns == columns,
            "Matrix broadcast: (\(v.rows) × \(v.columns)) is not a (1 × \(columns)) row for (\(rows) × \(columns))",
            file: file, line: line)
        makeUnique()
        let p = storage.pointer, q = v.storage.pointer
        for j in 0..<columns {
            let bias = q[j]
            for i in 0..<rows { p[i + j * rows] += bias }
        }
    }

    /// This matrix with the column vector `v` added to every column.
    ///
    /// - Parameters:
    ///   - v: the (rows × 1) column vector.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public func addingToEachColumn(_ v: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        var r = self
        r.addToEachColumn(v, file: file, line: line)
        return r
    }
    /// This matrix with the row vector `v` added to every row.
    ///
    /// - Parameters:
    ///   - v: the (1 × columns) row vector.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public func addingToEachRow(_ v: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Matrix {
        var r = self
        r.addToEachRow(v, file: file, line: line)
        return r
    }

    /// The sum of each row, as a (rows × 1) column vector.
    ///
    /// - Complexity: O(rows · columns).
    public func rowSums() -> Matrix {
        let result = Matrix(rows: rows, columns: 1)
        let p = storage.pointer, out = result.storage.pointer
        for j in 0..<columns {
            for i in 0..<rows { out[i] += p[i + j * rows] }
        }
        return result
    }

    /// The sum of all elements.
    public func sum() -> Float {
        withUnsafeBufferPointer { $0.reduce(0, +) }
    }

    /// Whether both matrices have the same shape and every pair of elements
    /// satisfies `|a − b| ≤ max(absoluteTolerance, relativeTolerance·max(|a|, |b|))`.
    /// NaN is approximately equal to nothing.
    ///
    /// - Parameters:
    ///   - other: the matrix to compare with.
    ///   - absoluteTolerance: the difference always accepted.
    ///   - relativeTolerance: the difference accepted relative to the larger magnitude.
    public func isApproximatelyEqual(
        to other: Matrix, absoluteTolerance: Float = 0, relativeTolerance: Float = Float.ulpOfOne.squareRoot()
    ) -> Bool {
        guard rows == other.rows, columns == other.columns else { return false }
        return withUnsafeBufferPointer { l in
            other.withUnsafeBufferPointer { r in
                zip(l, r).allSatisfy { a, b in
                    a == b || abs(a - b) <= max(absoluteTolerance, relativeTolerance * max(abs(a), abs(b)))
                }
            }
        }
    }
}
