#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem in an input file, located as `file:line:column: message`.
struct DataError: Error, CustomStringConvertible {
    var file: String
    var line: Int?
    var column: Int?
    var message: String

    var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

/// Where the label is in each row.
enum LabelColumn: Equatable {
    case first, last, index(Int)
    /// No label: every field is a feature (`mlp predict`).
    case none

    init?(_ text: String) {
        switch text {
        case "first": self = .first
        case "last": self = .last
        case "none": self = .none
        default:
            guard let n = Int(text), n >= 1 else { return nil }
            self = .index(n - 1)
        }
    }

    /// The label's field index, or -1 for none.
    func resolve(fields: Int) -> Int {
        switch self {
        case .first: return 0
        case .last: return fields - 1
        case .index(let i): return i
        case .none: return -1
        }
    }
}

/// How to read a CSV file.
struct CSVOptions {
    /// nil: detected from the first line (comma, semicolon, tab or space).
    var delimiter: Character?
    /// nil: a header when the first line has a non-numeric feature field.
    var header: Bool?
    var labelColumn: LabelColumn = .first
}

/// One data row: the label text and the features.
struct Record {
    var line: Int
    var label: Substring
    var features: [Float]
}

/// Reads a delimited text file line by line (streaming: the file is never
/// held in memory), checking every row: the same number of fields as the
/// first, numeric and finite features. Errors name the file, line and column.
struct CSVReader {
    /// The file name errors use.
    let path: String
    let options: CSVOptions
    /// Text to read instead of the file (the built-in dataset).
    var text: String?

    /// Calls `body` with every data row, in file order.
    func forEachRecord(_ body: (Record) throws -> Void) throws {
        if let text {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
            try scan({ lines.next().map(String.init) }, body)
            return
        }
        guard let file = fopen(path, "r") else {
            throw DataError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        try scan({ getline(&buffer, &capacity, file) > 0 ? String(cString: buffer!) : nil }, body)
        if ferror(file) != 0 { throw DataError(file: path, message: "read error") }
    }

    private func scan(_ nextLine: () -> String?, _ body: (Record) throws -> Void) throws {
        var lineNumber = 0, width: Int?, delimiter = options.delimiter, headerDecided = options.header != nil
        var sawData = false
        while var line = nextLine() {
            lineNumber += 1
            while line.last == "\n" || line.last == "\r" { line.removeLast() }
            if line.allSatisfy(\.isWhitespace) { continue }
            if delimiter == nil { delimiter = Self.detectDelimiter(line) }
            let fields = Self.split(line, by: delimiter!)
            if width == nil {
                width = fields.count
                guard fields.count >= (options.labelColumn == .none ? 1 : 2) else {
                    throw DataError(file: path, line: lineNumber, message: "a row needs a label and at least one feature; found \(fields.count) field (delimiter '\(delimiter!)')")
                }
            }
            let labelIndex = options.labelColumn.resolve(fields: width!)
            guard labelIndex == -1 || (0..<width!).contains(labelIndex) else {
                throw DataError(file: path, line: lineNumber, message: "label column \(labelIndex + 1) does not exist: rows have \(width!) fields")
            }
            if !headerDecided {
                headerDecided = true
                let looksLikeHeader = fields.enumerated().contains { $0.offset != labelIndex && Float($0.element.trimmed) == nil }
                if looksLikeHeader { continue }
            } else if lineNumber == 1 && options.header == true {
                continue
            }
            guard fields.count == width! else {
                throw DataError(file: path, line: lineNumber, message: "ragged row: \(fields.count) fields, expected \(width!) as in the first row")
            }
            var features: [Float] = []
            features.reserveCapacity(width! - 1)
            for (index, field) in fields.enumerated() where index != labelIndex {
                let text = field.trimmed
                guard let value = Float(text) else {
                    throw DataError(file: path, line: lineNumber, column: index + 1, message: "'\(text)' is not a number")
                }
                guard value.isFinite else {
                    throw DataError(file: path, line: lineNumber, column: index + 1, message: "value '\(text)' is not finite")
                }
                features.append(value)
            }
            sawData = true
            try body(Record(line: lineNumber, label: labelIndex < 0 ? "" : fields[labelIndex].trimmed, features: features))
        }
        if !sawData { throw DataError(file: path, message: lineNumber == 0 ? "file is empty" : "no data rows") }
    }

    static func detectDelimiter(_ line: String) -> Character {
        let candidates: [Character] = [",", ";", "\t"]
        let best = candidates.max { a, b in line.filter { $0 == a }.count < line.filter { $0 == b }.count }!
        return line.contains(best) ? best : " "
    }

    static func split(_ line: String, by delimiter: Character) -> [Substring] {
        if delimiter == " " { return line.split(separator: " ", omittingEmptySubsequences: true) }
        return line.split(separator: delimiter, omittingEmptySubsequences: false)
    }
}

extension Substring {
    var trimmed: Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        if s.count >= 2, s.first == "\"", s.last == "\"" { s = s.dropFirst().dropLast() }
        return s
    }
}
