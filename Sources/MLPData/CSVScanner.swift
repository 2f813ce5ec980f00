#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits delimited text into records and fields, byte by byte (RFC 4180):
/// a field that starts with `"` runs to the next lone `"` and may hold
/// delimiters, newlines and `""` (one quote); other fields are trimmed of
/// spaces, tabs and carriage returns. A UTF-8 byte-order mark is skipped;
/// blank lines are skipped. The file is read 1 MiB at a time: it is never
/// held whole in memory.
///
/// Fields are byte ranges into ``buffer``, valid until the next call of
/// ``next()``.
struct CSVScanner {
    /// The bytes (for a file: a window of it).
    private(set) var buffer: [UInt8]
    /// Each field of the current record: a range of ``buffer``.
    private(set) var fields: [Range<Int>] = []
    /// The line the current record starts on (1-based).
    private(set) var line = 0
    /// Bytes consumed so far (for progress).
    private(set) var bytesConsumed = 0
    /// The delimiter; a space means runs of spaces and tabs.
    var delimiter: UInt8 = UInt8(ascii: ",")

    private let name: String
    private let file: UnsafeMutablePointer<FILE>?
    private var start = 0, end = 0, atEnd: Bool
    private var nextLine = 1

    /// Scans the file at `path`.
    init(path: String) throws {
        guard let file = fopen(path, "rb") else {
            throw DataError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.name = path
        self.file = file
        buffer = [UInt8](repeating: 0, count: 1 << 20)
        atEnd = false
        try fill()
        skipByteOrderMark()
    }

    /// Scans `bytes` (the built-in data), called `name` in errors.
    init(name: String, bytes: [UInt8]) {
        self.name = name
        file = nil
        buffer = bytes
        end = bytes.count
        atEnd = true
        skipByteOrderMark()
    }

    /// Closes the file.
    func close() { if let file { fclose(file) } }

    private mutating func skipByteOrderMark() {
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
            bytesConsumed += 3
        }
    }

    /// Moves the unread bytes to the front and reads more, growing the
    /// buffer when one record fills it.
    private mutating func fill() throws {
        guard let file, !atEnd else { return }
        if start > 0 {
            buffer.withUnsafeMutableBytes { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let n = buffer.withUnsafeMutableBytes { b in fread(b.baseAddress! + end, 1, b.count - end, file) }
        if ferror(file) != 0 { throw DataError(file: name, message: "read error: \(String(cString: strerror(errno)))") }
        end += n
        if n == 0 { atEnd = true }
    }

    /// The first line's bytes (up to 64 KiB), for detecting the delimiter.
    mutating func firstLine() throws -> ArraySlice<UInt8> {
        while !atEnd, buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) == nil, end - start < 1 << 16 { try fill() }
        var from = start
        // Skip blank lines.
        while true {
            let stop = buffer[from..<end].firstIndex(of: UInt8(ascii: "\n")) ?? end
            if buffer[from..<stop].contains(where: { !Self.isBlank($0) }) || stop == end { return buffer[from..<stop] }
            from = stop + 1
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }

    /// Advances to the next non-blank record; `false` at the end.
    mutating func next() throws -> Bool {
        while true {
            if start == end {
                if atEnd { return false }
                try fill()
                continue
            }
            switch try scanRecord() {
            case .incomplete:
                let before = end - start
                try fill()
                if atEnd && end - start == before { return try finishLastRecord() }
            case .blank:
                continue
            case .record:
                return true
            }
        }
    }

    /// The last record of a file that does not end with a newline.
    private mutating func finishLastRecord() throws -> Bool {
        switch try scanRecord(atEndOfInput: true) {
        case .record: return true
        case .blank: return try next()
        case .incomplete: throw DataError(file: name, line: nextLine, message: "a quoted field is not closed before the end of the file")
        }
    }

    private enum Outcome { case record, blank, incomplete }

    /// Splits the record at `start` into ``fields``; `.incomplete` when the
    /// buffer ends first (nothing is changed then).
    private mutating func scanRecord(atEndOfInput: Bool = false) throws -> Outcome {
        fields.removeAll(keepingCapacity: true)
        var escaped: [Int] = []
        var p = start, newlines = 0, quoted = false
        let spaces = delimiter == UInt8(ascii: " ")
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        recordLoop: while true {
            // One field, from p.
            while p < end, buffer[p] == 32 || buffer[p] == 9, spaces || buffer[p] != delimiter { p += 1 }
            if p < end, buffer[p] == quote {
                quoted = true
                let open = p + 1
                var q = open, hasEscapes = false
                while true {
                    guard q < end else { return .incomplete }
                    if buffer[q] == quote {
                        if q + 1 == end && !atEndOfInput { return .incomplete }
                        if q + 1 < end, buffer[q + 1] == quote {
                            hasEscapes = true
                            q += 2
                            continue
                        }
                        break
                    }
                    if buffer[q] == newline { newlines += 1 }
                    q += 1
                }
                fields.append(open..<q)
                if hasEscapes { escaped.append(fields.count - 1) }
                p = q + 1
                while p < end, Self.isBlank(buffer[p]) && buffer[p] != delimiter { p += 1 }
                if p == end {
                    if !atEndOfInput { return .incomplete }
                    break recordLoop
                }
                if buffer[p] == newline {
                    p += 1
                    break recordLoop
                }
                guard buffer[p] == delimiter || (spaces && buffer[p] == 9) else {
                    throw DataError(file: name, line: nextLine + newlines, column: fields.count, message: "text after the closing quote of a quoted field")
                }
                p += 1
                if spaces, let ended = endsAfterSpaces(&p, atEndOfInput) {
                    if ended { break recordLoop }
                    return .incomplete
                }
                continue
            }
            let fieldStart = p
            while p < end, buffer[p] != delimiter, buffer[p] != newline, !(spaces && buffer[p] == 9) { p += 1 }
            if p == end && !atEndOfInput { return .incomplete }
            var fieldEnd = p
            while fieldEnd > fieldStart, Self.isBlank(buffer[fieldEnd - 1]) { fieldEnd -= 1 }
            fields.append(fieldStart..<fieldEnd)
            if p == end { break recordLoop }
            if buffer[p] == newline {
                p += 1
                break recordLoop
            }
            p += 1
            if spaces, let ended = endsAfterSpaces(&p, atEndOfInput) {
                if ended { break recordLoop }
                return .incomplete
            }
        }
        line = nextLine
        nextLine += 1 + newlines
        bytesConsumed += p - start
        start = p
        for index in escaped { unescape(index) }
        return !quoted && fields.count == 1 && fields[0].isEmpty ? .blank : .record
    }

    /// With runs of spaces as the delimiter: whether only blanks follow `p`
    /// up to the line's end (`true`, and `p` moves past the newline: trailing
    /// spaces end the record rather than start a field), the buffer ends
    /// first (`false`), or a field follows (`nil`).
    private func endsAfterSpaces(_ p: inout Int, _ atEndOfInput: Bool) -> Bool? {
        var r = p
        while r < end, buffer[r] == 32 || buffer[r] == 9 || buffer[r] == 13 { r += 1 }
        if r == end && !atEndOfInput { return false }
        guard r == end || buffer[r] == UInt8(ascii: "\n") else { return nil }
        p = min(r + 1, end)
        return true
    }

    /// Turns every `""` in a quoted field into `"`, in place, and shortens its range.
    private mutating func unescape(_ index: Int) {
        let range = fields[index]
        var write = range.lowerBound, read = range.lowerBound
        while read < range.upperBound {
            buffer[write] = buffer[read]
            read += buffer[read] == UInt8(ascii: "\"") ? 2 : 1
            write += 1
        }
        fields[index] = range.lowerBound..<write
    }

    /// The text of field `i` of the current record.
    func text(_ i: Int) -> String { String(decoding: buffer[fields[i]], as: UTF8.self) }
}
