#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one text field holds.
enum FieldValue: Equatable {
    case number(Float)
    /// Empty, `NA`, `N/A`, `NaN`, `null` or `?` (any case).
    case missing
    /// Anything else.
    case text
}

/// Field text to numbers: the same value as C's `strtof` (correctly rounded),
/// with a fast path for short decimals.
enum FieldParser {
    /// The missing-value spellings, lower case.
    static let missingTokens: [[UInt8]] = ["", "na", "n/a", "nan", "null", "?"].map { Array($0.utf8) }

    /// Powers of ten exact in `Float` (10¹⁰ = 2¹⁰ · 9 765 625 < 2¹⁰ · 2²⁴).
    private static let powersOfTen: [Float] = (0...10).map { exponent in (0..<exponent).reduce(Float(1)) { value, _ in value * 10 } }

    /// Parses a field's bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldValue {
        if let value = fastDecimal(bytes) { return .number(value) }
        if isMissing(bytes) { return .missing }
        guard bytes.count < 64 else { return .text }
        // strtof on a NUL-terminated copy; the whole field must be consumed.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { copy in
            for i in 0..<bytes.count { copy[i] = CChar(bitPattern: bytes[i]) }
            copy[bytes.count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtof(copy.baseAddress!, &stop)
            guard let stop, stop - copy.baseAddress! == bytes.count, bytes.count > 0, !isBlank(bytes[0]) else { return .text }
            return .number(value)
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12 }

    /// `[-+]digits[.digits]` with at most 2²⁴ as the integer of its digits and
    /// at most 10 decimals: one exact integer divided by an exact power of ten,
    /// which IEEE division rounds correctly. `nil` for anything else.
    static func fastDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        var i = 0, mantissa: UInt32 = 0, decimals = 0, digits = 0, seenPoint = false
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                mantissa = mantissa * 10 + UInt32(digit)
                guard mantissa <= 1 << 24 else { return nil }
                digits += 1
                if seenPoint { decimals += 1 }
            }
            i += 1
        }
        guard digits > 0, decimals <= 10 else { return nil }
        let magnitude = Float(mantissa) / powersOfTen[decimals]
        return negative ? -magnitude : magnitude
    }

    /// Whether the field is one of ``missingTokens``, ignoring case.
    static func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 4 else { return false }
        return missingTokens.contains { token in
            token.count == bytes.count && zip(token, bytes).allSatisfy { $0 == ($1 | (($1 >= 65 && $1 <= 90) ? 32 : 0)) }
        }
    }
}
