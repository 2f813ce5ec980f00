/// What a ``CSVReader`` decided about a file: delimiter, header and label
/// column, each given or detected, so a program can print it.
///
/// The rules (Docs/CLI.md, "Data formats"):
/// - **Delimiter**: the most frequent of `,` `;` tab outside quotes on the
///   first non-blank line; if none occurs, runs of spaces and tabs.
/// - **Header**: the first row is a header if it has a non-numeric field in a
///   feature column (missing-value spellings such as `NA` count as numeric)
///   *and* the second row has none; a label column given by name implies a header.
/// - **Label column**: as asked (``LabelColumn``), resolved against the first row.
public struct CSVLayout: Sendable, Equatable {
    /// The field delimiter (a space: runs of spaces and tabs).
    public var delimiter: Character
    /// Whether the delimiter was detected rather than given.
    public var delimiterDetected: Bool
    /// Whether the first row is a header.
    public var hasHeader: Bool
    /// Whether that was detected rather than given.
    public var headerDetected: Bool
    /// The header's field names (empty without a header).
    public var columnNames: [String]
    /// Fields per row.
    public var fieldCount: Int
    /// The label's 0-based field index, or `nil` when rows have no label.
    public var labelIndex: Int?
    /// The label column as asked.
    public var labelColumn: LabelColumn

    /// Features per row.
    public var featureCount: Int { fieldCount - (labelIndex == nil ? 0 : 1) }

    /// One line: `delimiter ',' (detected), header: yes (detected), label: column 5 "species" (last), 4 features`.
    public var summary: String {
        let delimiterName = delimiter == "\t" ? "tab" : delimiter == " " ? "spaces" : "'\(delimiter)'"
        var parts = ["delimiter \(delimiterName)" + (delimiterDetected ? " (detected)" : "")]
        parts.append("header: " + (hasHeader ? "yes" : "no") + (headerDetected ? " (detected)" : ""))
        if let labelIndex {
            let name = hasHeader && labelIndex < columnNames.count ? " \"\(columnNames[labelIndex])\"" : ""
            parts.append("label: column \(labelIndex + 1)\(name) (\(labelColumn))")
        } else {
            parts.append("no label column")
        }
        parts.append("\(featureCount) features")
        return parts.joined(separator: ", ")
    }

    /// The most frequent of `,` `;` tab outside quotes in `line`, else a space.
    static func detectDelimiter(_ line: ArraySlice<UInt8>) -> Character {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 9: 0]
        var quoted = false
        for byte in line {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, counts[byte] != nil { counts[byte]! += 1 }
        }
        let order: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9]
        let best = order.max { counts[$0]! < counts[$1]! }!
        return counts[best]! > 0 ? Character(UnicodeScalar(best)) : " "
    }
}
