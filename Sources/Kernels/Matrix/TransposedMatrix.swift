/// A matrix as an operand of a product: a stored matrix, used either as it is
/// or transposed, so that products can read `Aᵀ` without copying it.
public protocol MatrixOperand {
    /// The stored matrix the operand reads.
    var stored: Matrix { get }
    /// The operation op(X) applied to `stored`: the operand is `stored` or its transpose.
    var operation: Transpose { get }
}

extension MatrixOperand {
    /// Rows of the operand (of `storedᵀ` when transposed).
    public var operandRows: Int { operation == .noTranspose ? stored.rows : stored.columns }
    /// Columns of the operand (of `storedᵀ` when transposed).
    public var operandColumns: Int { operation == .noTranspose ? stored.columns : stored.rows }
}

extension Matrix: MatrixOperand {
    /// The matrix itself.
    public var stored: Matrix { self }
    /// Always `.noTranspose`.
    public var operation: Transpose { .noTranspose }

    /// A view of the transpose that shares this matrix's storage: O(1), no copy.
    /// Products read it directly; `Matrix(m.transposed())` makes a copy.
    public func transposed() -> TransposedMatrix {
        TransposedMatrix(base: self)
    }

    /// Creates a matrix holding the elements of a transposed view.
    ///
    /// - Parameter view: the transposed view to copy.
    /// - Complexity: O(rows · columns).
    public init(_ view: TransposedMatrix) {
        let base = view.base
        self.init(rows: base.columns, columns: base.rows)
        for j in 0..<columns {
            for i in 0..<rows { storage.pointer[i + j * rows] = base.storage.pointer[j + i * base.rows] }
        }
    }

    /// Replaces this matrix with its transpose.
    ///
    /// - Complexity: O(rows · columns).
    public mutating func transpose() {
        self = Matrix(transposed())
    }
}

/// The transpose of a ``Matrix``, as a view that shares its storage.
public struct TransposedMatrix: MatrixOperand, Sendable {
    /// The matrix this is the transpose of.
    public let base: Matrix

    /// The matrix this is the transpose of.
    public var stored: Matrix { base }
    /// Always `.transpose`.
    public var operation: Transpose { .transpose }

    /// Rows of the transpose: the columns of `base`.
    public var rows: Int { base.columns }
    /// Columns of the transpose: the rows of `base`.
    public var columns: Int { base.rows }

    /// Element (row, column) of the transpose, that is `base[column, row]`.
    ///
    /// - Parameters:
    ///   - row: the row of the transpose.
    ///   - column: the column of the transpose.
    public subscript(row: Int, column: Int) -> Float { base[column, row] }

    /// The view back to `base`: transposing twice costs nothing.
    public func transposed() -> Matrix { base }
}
