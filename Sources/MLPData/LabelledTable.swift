import Kernels
import MLP

/// Rows read from a file: features, each row's label text and the line it
/// came from, and what the reader decided.
public struct LabelledTable: Sendable {
    /// The file the rows came from.
    public var name: String
    /// (rows × features).
    public var features: Matrix
    /// Each row's label, as written (empty when rows have no label).
    public var labels: [String]
    /// Each row's line in the file (1-based).
    public var lines: [Int]
    /// The CSV layout, or `nil` for IDX files.
    public var layout: CSVLayout?
    /// Missing features filled with their column's mean.
    public var filledValues: Int
    /// Rows left out for a missing value.
    public var droppedRows: Int

    /// A table.
    ///
    /// - Parameters:
    ///   - name: the file the rows came from.
    ///   - features: the (rows × features) values.
    ///   - labels: each row's label as written (empty when rows have none).
    ///   - lines: each row's 1-based line in the file.
    ///   - layout: the CSV layout, or `nil` for IDX files.
    ///   - filledValues: the missing features filled with their column's mean.
    ///   - droppedRows: the rows left out for a missing value.
    public init(
        name: String, features: Matrix, labels: [String], lines: [Int], layout: CSVLayout? = nil,
        filledValues: Int = 0, droppedRows: Int = 0
    ) {
        self.name = name
        self.features = features
        self.labels = labels
        self.lines = lines
        self.layout = layout
        self.filledValues = filledValues
        self.droppedRows = droppedRows
    }

    /// The number of rows.
    public var count: Int { features.rows }

    /// The classes of the labels, in ``ClassLabels`` order, checked to look
    /// like classes (``ClassLabels/check(_:rows:file:expected:)``).
    ///
    /// - Parameter expected: a class count that overrides the check for
    ///   labels that look continuous (the labels may have at most that many values).
    public func classes(expected: Int? = nil) throws -> [String] {
        let classes = ClassLabels.classes(of: labels)
        try ClassLabels.check(classes, rows: count, file: name, expected: expected)
        return classes
    }

    /// One-hot targets (rows × classes); a label not among `classes` is an
    /// error naming the file and line.
    ///
    /// - Parameter classes: the class names, one per target column.
    public func oneHot(classes: [String]) throws -> Matrix {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var targets = Matrix(rows: count, columns: classes.count)
        for (i, label) in labels.enumerated() {
            guard let c = index[ClassLabels.canonical(label)] else {
                throw DataError(
                    file: name, line: lines[i],
                    message: "label \(DataError.excerpt(label)) is not one of the \(classes.count) classes seen in training (\(ClassLabels.summary(classes)))")
            }
            targets[i, c] = 1
        }
        return targets
    }

    /// Regression targets (rows × 1): the labels as numbers.
    public func values() throws -> Matrix {
        var targets = Matrix(rows: count, columns: 1)
        for (i, label) in labels.enumerated() {
            guard let value = Float(label), value.isFinite else {
                throw DataError(file: name, line: lines[i], message: "target \(DataError.excerpt(label)) is not a finite number")
            }
            targets[i, 0] = value
        }
        return targets
    }

    /// A classification dataset: the features and one-hot targets over `classes`.
    ///
    /// - Parameter classes: the class names, one per target column.
    public func classificationDataset(classes: [String]) throws -> Dataset {
        try Dataset(inputs: features, targets: oneHot(classes: classes))
    }

    /// A regression dataset: the features and the labels as values.
    public func regressionDataset() throws -> Dataset {
        try Dataset(inputs: features, targets: values())
    }
}
