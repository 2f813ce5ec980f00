// A small JSON reader and string quoting, for safetensors headers.

/// The JSON values a safetensors header uses.
enum JSONValue {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case other
}

/// A small JSON reader for safetensors headers: objects, arrays, strings
/// (with every JSON escape), numbers, true/false/null.
struct JSONScanner {
    let scalars: [UnicodeScalar]
    let path: String
    var index = 0
    /// Objects and arrays open around the current value.
    private var depth = 0
    /// The deepest nesting read (a safetensors header needs 3).
    static let maximumDepth = 64

    init(text: String, path: String) {
        scalars = Array(text.unicodeScalars)
        self.path = path
    }

    mutating func fail(_ what: String) -> ModelFileError {
        .corrupted(path: path, detail: "safetensors header: \(what) at character \(index)")
    }

    mutating func skipSpace() { while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 } }

    mutating func expect(_ c: UnicodeScalar) throws {
        skipSpace()
        guard index < scalars.count, scalars[index] == c else { throw fail("expected '\(c)'") }
        index += 1
    }

    mutating func object() throws -> [String: JSONValue] {
        guard case .object(let fields) = try value() else { throw fail("expected an object") }
        return fields
    }

    mutating func value() throws -> JSONValue {
        skipSpace()
        guard index < scalars.count else { throw fail("unexpected end") }
        switch scalars[index] {
        case "{", "[":
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth) levels") }
            return try container()
        case "\"":
            index += 1
            var s = ""
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\" {
                    index += 1
                    guard index < scalars.count else { break }
                    switch scalars[index] {
                    case "n": s += "\n"
                    case "t": s += "\t"
                    case "r": s += "\r"
                    case "b": s += "\u{8}"
                    case "f": s += "\u{C}"
                    case "u":
                        let hex = String(String.UnicodeScalarView(scalars[(index + 1)..<min(scalars.count, index + 5)]))
                        guard hex.count == 4, let code = UInt32(hex, radix: 16) else { throw fail("bad \\u escape") }
                        index += 4
                        s.unicodeScalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
                    default: s.unicodeScalars.append(scalars[index])
                    }
                    index += 1
                    continue
                }
                s.unicodeScalars.append(scalars[index])
                index += 1
            }
            try expect("\"")
            return .string(s)
        default:
            let start = index
            while index < scalars.count, !",]} \n\t".unicodeScalars.contains(scalars[index]) { index += 1 }
            let token = String(String.UnicodeScalarView(scalars[start..<index]))
            if token.allSatisfy({ "0123456789+-.eE".contains($0) }), let number = Double(token) { return .number(number) }
            guard ["true", "false", "null"].contains(token) else { throw fail("unexpected '\(token)'") }
            return .other
        }
    }

    /// The object or array at `index`.
    private mutating func container() throws -> JSONValue {
        let opening = scalars[index]
        index += 1
        skipSpace()
        if opening == "{" {
            var fields: [String: JSONValue] = [:]
            if index < scalars.count, scalars[index] == "}" {
                index += 1
                return .object(fields)
            }
            repeat {
                guard case .string(let key) = try value() else { throw fail("expected a key") }
                try expect(":")
                fields[key] = try value()
                skipSpace()
            } while try separator(closing: "}")
            return .object(fields)
        }
        var items: [JSONValue] = []
        if index < scalars.count, scalars[index] == "]" {
            index += 1
            return .array(items)
        }
        repeat { items.append(try value()) } while try separator(closing: "]")
        return .array(items)
    }

    /// Consumes "," (true: more items) or `closing` (false).
    mutating func separator(closing: UnicodeScalar) throws -> Bool {
        skipSpace()
        guard index < scalars.count else { throw fail("unexpected end") }
        let c = scalars[index]
        index += 1
        if c == "," { return true }
        if c == closing { return false }
        throw fail("expected ',' or '\(closing)'")
    }
}

/// JSON text for strings.
enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON array of strings.
    static func array(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ",") + "]" }
}
