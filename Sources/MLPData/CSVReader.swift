#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads labelled rows from delimited text (CSV, semicolon- or tab-separated,
/// space-aligned): it decides the layout (``CSVLayout``), checks every row
/// (same field count, numeric features, missing values per
/// ``CSVOptions/missing``) and names the file, line and column of the first
/// problem.
public struct CSVReader: Sendable {
    /// The file, or the name errors use for in-memory text.
    public let path: String
    /// How to read it.
    public let options: CSVOptions
    private let bytes: [UInt8]?

    /// A reader of the file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - options: the delimiter, header, label column and missing-value rule.
    public init(path: String, options: CSVOptions = CSVOptions()) {
        self.path = path
        self.options = options
        bytes = nil
    }

    /// A reader of `text`, called `name` in errors.
    ///
    /// - Parameters:
    ///   - name: the name errors give the text.
    ///   - text: the CSV text.
    ///   - options: the delimiter, header, label column and missing-value rule.
    public init(name: String, text: String, options: CSVOptions = CSVOptions()) {
        self.init(name: name, bytes: Array(text.utf8), options: options)
    }

    /// A reader of `bytes` (UTF-8 text), called `name` in errors.
    ///
    /// - Parameters:
    ///   - name: the name errors give the bytes.
    ///   - bytes: the CSV text, UTF-8.
    ///   - options: the delimiter, header, label column and missing-value rule.
    public init(name: String, bytes: [UInt8], options: CSVOptions = CSVOptions()) {
        path = name
        self.options = options
        self.bytes = bytes
    }

    /// Reading progress: bytes consumed and the file's size.
    public typealias Progress = (_ bytesRead: Int, _ totalBytes: Int) -> Void

    /// Reads the whole file into a table.
    ///
    /// - Parameter progress: called every 4 MiB.
    /// - Throws: ``DataError`` naming the file, line and column.
    public func read(progress: Progress? = nil) throws -> LabelledTable {
        var accumulator = RowAccumulator(name: path)
        let (layout, dropped) = try scan(progress: progress) { values, label, line in accumulator.append(values, label: label, line: line) }
        var table = try accumulator.table(layout: layout, missing: options.missing)
        table.droppedRows = dropped
        return table
    }

    /// Reads the file `rows` rows at a time, so it never has to fit in
    /// memory; returns the layout. ``MissingValues/mean`` needs the whole
    /// file and is refused here.
    ///
    /// - Parameters:
    ///   - rows: the most rows per chunk, at least 1.
    ///   - body: a closure called with each chunk, in file order.
    @discardableResult
    public func forEachChunk(rows: Int, _ body: (LabelledTable) throws -> Void) throws -> CSVLayout {
        guard options.missing != .mean else {
            throw DataError(file: path, message: "missing values cannot be filled with column means when reading in chunks")
        }
        var accumulator = RowAccumulator(name: path)
        var layout: CSVLayout?
        let (final, _) = try scan(
            progress: nil, decided: { layout = $0 },
            { values, label, line in
                accumulator.append(values, label: label, line: line)
                if accumulator.count == rows {
                    try body(try accumulator.table(layout: layout!, missing: .error))
                    accumulator = RowAccumulator(name: path)
                }
            })
        if accumulator.count > 0 { try body(try accumulator.table(layout: final, missing: .error)) }
        return final
    }

    /// The layout alone, from the first two rows.
    public func layout() throws -> CSVLayout {
        var scanner = try makeScanner()
        defer { scanner.close() }
        return try decide(&scanner).layout
    }

    private func makeScanner() throws -> CSVScanner {
        if let bytes { return CSVScanner(name: path, bytes: bytes) }
        return try CSVScanner(path: path)
    }

    /// The first two records and what they decide.
    private func decide(_ scanner: inout CSVScanner) throws -> (layout: CSVLayout, first: [[UInt8]], firstLine: Int) {
        let firstLine = try scanner.firstLine()
        let delimiter = options.delimiter ?? CSVLayout.detectDelimiter(firstLine)
        guard let delimiterByte = delimiter.asciiValue else {
            throw DataError(file: path, message: "the delimiter '\(delimiter)' is not an ASCII character")
        }
        scanner.delimiter = delimiterByte
        guard try scanner.next() else { throw DataError(file: path, message: scanner.bytesConsumed == 0 ? "file is empty" : "no data rows") }
        let first = scanner.fields.map { Array(scanner.buffer[$0]) }, line = scanner.line
        let names = first.map { String(decoding: $0, as: UTF8.self) }
        let labelIndex: Int?
        switch options.labelColumn {
        case .first: labelIndex = 0
        case .last: labelIndex = first.count - 1
        case .none: labelIndex = nil
        case .index(let i):
            guard i < first.count else {
                throw DataError(file: path, line: line, message: "label column \(i + 1) does not exist: rows have \(first.count) fields")
            }
            labelIndex = i
        case .named(let name):
            guard options.header != false, let i = names.firstIndex(of: name) else {
                throw DataError(
                    file: path, line: line,
                    message:
                        "no column named \(DataError.excerpt(name)) in the header (\(names.prefix(12).map { DataError.excerpt($0) }.joined(separator: ", ")))")
            }
            labelIndex = i
        }
        guard first.count >= (labelIndex == nil ? 1 : 2) else {
            throw DataError(
                file: path, line: line, message: "a row needs a label and at least one feature; found \(first.count) field (delimiter '\(delimiter)')")
        }
        let hasHeader: Bool
        if let header = options.header {
            hasHeader = header
        } else if case .named = options.labelColumn {
            hasHeader = true
        } else if Self.hasText(first.map { $0[...] }, except: labelIndex) {
            let secondIsText = try scanner.next() && Self.hasText(scanner.fields.map { scanner.buffer[$0] }, except: labelIndex)
            hasHeader = !secondIsText
            scanner.close()
            scanner = try makeScanner()
            scanner.delimiter = delimiterByte
            _ = try scanner.next()
        } else {
            hasHeader = false
        }
        let layout = CSVLayout(
            delimiter: delimiter, delimiterDetected: options.delimiter == nil, hasHeader: hasHeader,
            headerDetected: options.header == nil, columnNames: hasHeader ? names : [], fieldCount: first.count,
            labelIndex: labelIndex, labelColumn: options.labelColumn)
        return (layout, first, line)
    }

    /// Whether some field other than `label` is neither a number nor missing.
    private static func hasText(_ fields: [ArraySlice<UInt8>], except label: Int?) -> Bool {
        fields.indices.contains { j in
            j != label && fields[j].withUnsafeBufferPointer { FieldParser.parse($0) } == .text
        }
    }

    /// Decides the layout, then calls `row` with every data row's features
    /// (NaN where missing and kept), label text and line.
    private func scan(
        progress: Progress?, decided: ((CSVLayout) -> Void)? = nil,
        _ row: (_ values: UnsafeBufferPointer<Float>, _ label: String, _ line: Int) throws -> Void
    ) throws -> (layout: CSVLayout, dropped: Int) {
        var scanner = try makeScanner()
        defer { scanner.close() }
        let total = bytes?.count ?? Self.fileSize(path)
        let (layout, _, _) = try decide(&scanner)
        decided?(layout)
        var values = [Float](repeating: 0, count: layout.featureCount)
        var nextReport = 4 << 20, isFirst = true, dropped = 0
        repeat {
            if isFirst {
                isFirst = false
                if layout.hasHeader { continue }
            }
            guard scanner.fields.count == layout.fieldCount else {
                throw DataError(
                    file: path, line: scanner.line, message: "ragged row: \(scanner.fields.count) fields, expected \(layout.fieldCount) as in the first row")
            }
            var label = "", keep = true
            try values.withUnsafeMutableBufferPointer { out in
                var k = 0
                for (j, range) in scanner.fields.enumerated() {
                    let value = scanner.buffer.withUnsafeBufferPointer { FieldParser.parse(UnsafeBufferPointer(rebasing: $0[range])) }
                    if j == layout.labelIndex {
                        guard value != .missing else {
                            if options.missing == .drop {
                                keep = false
                                continue
                            }
                            throw DataError(
                                file: path, line: scanner.line, column: j + 1,
                                message: "missing label"
                                    + (options.missing == .error
                                        ? " (missing values: error; drop leaves such rows out)"
                                        : " (only features can be filled with means; drop leaves such rows out)"))
                        }
                        label = scanner.text(j)
                        continue
                    }
                    switch value {
                    case .number(let x):
                        guard x.isFinite else {
                            throw DataError(file: path, line: scanner.line, column: j + 1, message: "value \(DataError.excerpt(scanner.text(j))) is not finite")
                        }
                        out[k] = x
                    case .missing:
                        if options.missing == .error {
                            let text = scanner.text(j)
                            throw DataError(
                                file: path, line: scanner.line, column: j + 1,
                                message:
                                    "missing value\(text.isEmpty ? " (empty field)" : " \(DataError.excerpt(text))"); choose what to do with missing values: drop or mean"
                            )
                        }
                        if options.missing == .drop { keep = false }
                        out[k] = .nan
                    case .text:
                        let hint = scanner.line == 1 && !layout.hasHeader ? " (if the first line is a header, say so)" : ""
                        throw DataError(file: path, line: scanner.line, column: j + 1, message: "\(DataError.excerpt(scanner.text(j))) is not a number\(hint)")
                    }
                    k += 1
                }
            }
            if keep {
                try values.withUnsafeBufferPointer { try row($0, label, scanner.line) }
            } else {
                dropped += 1
            }
            if let progress, scanner.bytesConsumed >= nextReport {
                progress(scanner.bytesConsumed, total)
                nextReport += 4 << 20
            }
        } while try scanner.next()
        progress?(total, total)
        return (layout, dropped)
    }

    /// The size of the file at `path` in bytes (0 if unknown).
    ///
    /// - Parameter path: a file's path.
    public static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
