/// Which field of a row holds the label.
public enum LabelColumn: Equatable, Sendable, CustomStringConvertible {
    /// The first field.
    case first
    /// The last field (the convention of scikit-learn and pandas exports).
    case last
    /// The field at a 0-based index.
    case index(Int)
    /// The field whose header is this name (the file needs a header).
    case named(String)
    /// No label: every field is a feature (rows to predict).
    case none

    /// Parses `first`, `last`, `none`, a 1-based column number or a header name.
    ///
    /// - Parameter text: the label column as the command line writes it.
    public init(_ text: String) {
        switch text {
        case "first": self = .first
        case "last": self = .last
        case "none": self = .none
        default:
            if let n = Int(text), n >= 1 {
                self = .index(n - 1)
            } else {
                self = .named(text)
            }
        }
    }

    /// The inverse of ``init(_:)``: `first`, `last`, `none`, a 1-based number or the name.
    public var description: String {
        switch self {
        case .first: return "first"
        case .last: return "last"
        case .none: return "none"
        case .index(let i): return "\(i + 1)"
        case .named(let name): return name
        }
    }
}

/// What to do with a missing value: an empty field or `NA`, `N/A`, `NaN`,
/// `null`, `?` (any case).
public enum MissingValues: String, Sendable, CaseIterable {
    /// Stop with an error naming the file, line and column (the default).
    case error
    /// Leave out every row with a missing value.
    case drop
    /// Put the mean of the column's present values in place of a missing
    /// feature (a row with a missing label is an error).
    case mean
}

/// How to read a delimited text file.
public struct CSVOptions: Sendable, Equatable {
    /// The field delimiter; `nil`: detected from the first line (the most
    /// frequent of `,` `;` tab outside quotes, else runs of spaces).
    public var delimiter: Character?
    /// Whether the first row is a header; `nil`: detected (see ``CSVLayout``).
    public var header: Bool?
    /// Where the label is.
    public var labelColumn: LabelColumn
    /// What to do with missing values.
    public var missing: MissingValues

    /// Options; by default everything is detected and the label is the last field.
    ///
    /// - Parameters:
    ///   - delimiter: the field delimiter; `nil` detects it.
    ///   - header: whether the first line is a header; `nil` detects it.
    ///   - labelColumn: the column that holds the labels.
    ///   - missing: what to do with an empty or `NA` field.
    public init(delimiter: Character? = nil, header: Bool? = nil, labelColumn: LabelColumn = .last, missing: MissingValues = .error) {
        self.delimiter = delimiter
        self.header = header
        self.labelColumn = labelColumn
        self.missing = missing
    }
}
