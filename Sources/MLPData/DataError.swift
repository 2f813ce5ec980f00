/// A problem in an input file, located as `file:line:column: message`.
public struct DataError: Error, Equatable, CustomStringConvertible {
    /// The file (or the name of the built-in data).
    public var file: String
    /// The 1-based line where the problem is, if it is on one line.
    public var line: Int?
    /// The 1-based field (column) on that line.
    public var column: Int?
    /// What is wrong.
    public var message: String

    /// A problem at `file:line:column`.
    ///
    /// - Parameters:
    ///   - file: the file's name.
    ///   - line: the 1-based line, if there is one.
    ///   - column: the 1-based column, if there is one.
    ///   - message: what is wrong.
    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }

    /// `text` for an error message: quoted, and cut after 40 characters so a
    /// huge field never floods the terminal.
    ///
    /// - Parameter text: the text to quote.
    public static func excerpt<S: StringProtocol>(_ text: S) -> String {
        let limit = 40
        guard text.count > limit else { return "'\(text)'" }
        return "'\(text.prefix(limit))…' (\(text.utf8.count) bytes)"
    }
}
