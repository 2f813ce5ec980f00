import Kernels
import MLP

/// A dataset as read from a file: features, raw label texts and where each
/// row came from.
struct Table {
    var name: String
    var features: Matrix
    var labels: [Substring]
    var lines: [Int]

    var count: Int { features.rows }

    /// Reads a CSV file, or an IDX images file with its labels file.
    static func load(_ path: String, labels labelsPath: String?, options: CSVOptions) throws -> Table {
        if IDXReader.looksLikeIDX(path) {
            guard let labelsPath else {
                throw DataError(file: path, message: "an IDX images file needs its labels file (--train-labels / --test-labels)")
            }
            let (rows, labels) = try IDXReader.read(images: path, labels: labelsPath)
            return Table(name: path, rows: rows, labels: labels.map { Substring($0) }, lines: (0..<rows.count).map { $0 + 1 })
        }
        return try read(CSVReader(path: path, options: options))
    }

    /// The built-in digits split.
    static func builtin(_ text: String, name: String) throws -> Table {
        try read(CSVReader(path: name, options: CSVOptions(header: false), text: text))
    }

    static func read(_ reader: CSVReader) throws -> Table {
        var rows: [[Float]] = [], labels: [Substring] = [], lines: [Int] = []
        try reader.forEachRecord { record in
            rows.append(record.features)
            labels.append(record.label)
            lines.append(record.line)
        }
        return Table(name: reader.path, rows: rows, labels: labels, lines: lines)
    }

    init(name: String, rows: [[Float]], labels: [Substring], lines: [Int]) {
        self.name = name
        let width = rows.first?.count ?? 0
        var features = Matrix(rows: rows.count, columns: width)
        features.withUnsafeMutableBufferPointer { f in
            for (i, row) in rows.enumerated() {
                for (j, value) in row.enumerated() { f[i + j * rows.count] = value }
            }
        }
        self.features = features
        self.labels = labels
        self.lines = lines
    }

    /// Targets for classification: one-hot rows over `classes`; a label not
    /// among them is an error naming the file and line.
    func oneHot(classes: [String]) throws -> Matrix {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var targets = Matrix(rows: count, columns: classes.count)
        for (i, label) in labels.enumerated() {
            guard let c = index[String(label)] else {
                throw DataError(file: name, line: lines[i], message: "label '\(label)' is not one of the \(classes.count) classes seen in training (\(Table.summary(classes)))")
            }
            targets[i, c] = 1
        }
        return targets
    }

    /// Targets for regression: the labels as numbers.
    func values() throws -> Matrix {
        var targets = Matrix(rows: count, columns: 1)
        for (i, label) in labels.enumerated() {
            guard let value = Float(label), value.isFinite else {
                throw DataError(file: name, line: lines[i], message: "target '\(label)' is not a finite number")
            }
            targets[i, 0] = value
        }
        return targets
    }

    /// The distinct labels, numerically sorted when all are numbers.
    var classes: [String] { Self.classes(Set(labels.map(String.init))) }

    /// `distinct` labels in class order: numerically when all are numbers.
    static func classes(_ distinct: Set<String>) -> [String] {
        if distinct.allSatisfy({ Double($0) != nil }) { return distinct.sorted { Double($0)! < Double($1)! } }
        return distinct.sorted()
    }

    static func summary(_ classes: [String]) -> String {
        classes.count <= 12 ? classes.joined(separator: ", ") : classes.prefix(10).joined(separator: ", ") + ", …"
    }
}
