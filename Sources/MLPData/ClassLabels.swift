/// Class labels as the package treats them: numbers are one class whatever
/// their spelling (`1`, `1.0` and `01` are class `1`), words keep their names,
/// and a column that looks like a continuous target is not taken for classes.
public enum ClassLabels {
    /// The class a label names: a finite number in its shortest spelling
    /// (whole numbers without a fraction), anything else as written.
    ///
    /// - Parameter label: a label as read.
    public static func canonical(_ label: String) -> String {
        guard let value = Double(label), value.isFinite else { return label }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// The distinct classes of `labels`: numbers first, in numeric order, then
    /// words in lexicographic order.
    ///
    /// - Parameter labels: the label texts, as read.
    public static func classes<S: Sequence>(of labels: S) -> [String] where S.Element == String {
        var distinct = Set<String>()
        for label in labels { distinct.insert(canonical(label)) }
        let numbers = distinct.compactMap { Double($0) }.sorted().map { canonical("\($0)") }
        let words = distinct.filter { Double($0) == nil }.sorted()
        return numbers + words
    }

    /// Checks that `classes` (of `rows` labels) look like classes: they are
    /// not all numbers with a non-integer among them, and there are at most
    /// 1 000 of them and at most half as many as rows — otherwise the column
    /// is more likely a regression target.
    ///
    /// - Parameters:
    ///   - classes: the distinct labels, as ``classes(of:)`` returns them.
    ///   - rows: how many labels they came from.
    ///   - file: the file named in the error.
    ///   - expected: the class count the caller asserts; the check then only
    ///     requires at most that many classes.
    /// - Throws: ``DataError`` saying why the column looks continuous.
    public static func check(_ classes: [String], rows: Int, file: String, expected: Int? = nil) throws {
        if let expected {
            guard classes.count <= expected else {
                throw DataError(
                    file: file,
                    message: "the label column has \(classes.count) distinct values, more than the \(expected) classes asked for (\(summary(classes)))")
            }
            return
        }
        let numbers = classes.compactMap { Double($0) }
        if numbers.count == classes.count, let fraction = numbers.first(where: { $0 != $0.rounded() }) {
            throw DataError(
                file: file,
                message: "the label column looks continuous (non-integer values such as \(canonical("\(fraction)"))): it is a regression target, not classes")
        }
        if classes.count > 1_000 || 2 * classes.count > rows {
            throw DataError(
                file: file,
                message: "the label column looks continuous (\(classes.count) distinct values in \(rows) rows): it is a regression target, not classes")
        }
    }

    /// Up to 12 class names, comma-separated (quoted when a name holds a
    /// comma or space, or is empty).
    ///
    /// - Parameter classes: the class names.
    public static func summary(_ classes: [String]) -> String {
        let names = classes.map { $0.isEmpty || $0.contains(",") || $0.contains(" ") ? "'\($0)'" : $0 }
        return names.count <= 12 ? names.joined(separator: ", ") : names.prefix(10).joined(separator: ", ") + ", … (\(classes.count))"
    }
}
