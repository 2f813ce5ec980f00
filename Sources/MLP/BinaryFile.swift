#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Binary encoding and whole-file I/O for model files and safetensors.

/// FNV-1a, 64 bits.
func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

/// Little-endian encoding into a byte array.
struct ByteWriter {
    var data: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { data += b }
    mutating func uint8(_ v: UInt8) { data.append(v) }
    mutating func uint32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    mutating func uint64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    mutating func floats(_ v: [Float]) { for x in v { uint32(x.bitPattern) } }
    mutating func string(_ s: String) {
        uint32(UInt32(s.utf8.count))
        data += Array(s.utf8)
    }
}

/// Little-endian decoding that throws `truncated` instead of reading past the end.
struct ByteReader {
    let data: [UInt8]
    let path: String
    var offset = 0

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= data.count - 8 - offset else { throw ModelFileError.truncated(path: path) }
        defer { offset += n }
        return data[offset..<(offset + n)]
    }

    mutating func uint8() throws -> UInt8 { try take(1).first! }

    mutating func uint32() throws -> UInt32 {
        try take(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    mutating func uint64() throws -> UInt64 {
        try take(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// A count, checked against a sanity limit so a corrupted length fails cleanly.
    mutating func count(limit: Int) throws -> Int {
        let value = Int(try uint32())
        guard value <= limit else { throw ModelFileError.corrupted(path: path, detail: "implausible count \(value) at byte \(offset - 4)") }
        return value
    }

    mutating func floats(_ n: Int) throws -> [Float] {
        guard n <= (data.count - offset) / 4 else { throw ModelFileError.truncated(path: path) }
        let bytes = try take(4 * n)
        var result = [Float](repeating: 0, count: n)
        var index = bytes.startIndex
        for i in 0..<n {
            let bits = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            result[i] = Float(bitPattern: bits)
            index += 4
        }
        return result
    }

    mutating func string() throws -> String {
        let n = try count(limit: 1 << 20)
        guard let s = String(validating: try take(n), as: UTF8.self) else {
            throw ModelFileError.corrupted(path: path, detail: "invalid UTF-8 at byte \(offset - n)")
        }
        return s
    }
}

extension ByteWriter {
    /// An optional normalization: a flag, the feature count, means, scales.
    mutating func normalization(_ normalization: Normalization?) {
        uint8(normalization == nil ? 0 : 1)
        guard let normalization else { return }
        uint32(UInt32(normalization.mean.count))
        floats(normalization.mean)
        floats(normalization.scale)
    }

    /// An optional data layout: a flag, the label column, the feature count, the classes.
    mutating func dataLayout(_ layout: ModelFile.DataLayout?) {
        uint8(layout == nil ? 0 : 1)
        guard let layout else { return }
        uint8(layout.labelColumn == nil ? 0 : 1)
        if let column = layout.labelColumn { string(column) }
        uint32(UInt32(layout.featureCount))
        uint8(layout.classes == nil ? 0 : 1)
        if let classes = layout.classes {
            uint32(UInt32(classes.count))
            for name in classes { string(name) }
        }
    }
}

extension ByteReader {
    mutating func normalization() throws -> Normalization? {
        guard try uint8() != 0 else { return nil }
        let n = try count(limit: 1 << 26)
        return Normalization(checkedMean: try floats(n), scale: try floats(n))
    }

    mutating func dataLayout() throws -> ModelFile.DataLayout? {
        guard try uint8() != 0 else { return nil }
        let column = try uint8() != 0 ? try string() : nil
        let features = try count(limit: 1 << 26)
        let classes = try uint8() != 0 ? try (0..<(try count(limit: 1 << 24))).map { _ in try string() } : nil
        return ModelFile.DataLayout(labelColumn: column, featureCount: features, classes: classes)
    }

    /// Checks that the reader stopped just before the checksum and that the
    /// checksum (the last 8 bytes) matches everything before it.
    func checkEnd() throws {
        guard offset + 8 <= data.count else { throw ModelFileError.truncated(path: path) }
        guard offset + 8 == data.count else {
            throw ModelFileError.corrupted(path: path, detail: "\(data.count - offset - 8) unexpected bytes before the checksum")
        }
        let stored = data[(data.count - 8)...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard fnv1a(data[..<offset]) == stored else { throw ModelFileError.corrupted(path: path, detail: "checksum mismatch") }
    }
}

/// Whole-file reads and atomic writes with the C library.
public enum AtomicFile {
    /// The bytes of the file at `path`.
    ///
    /// A file whose bytes and their decoded copy (twice its size) would not
    /// fit in the machine's memory is refused before anything is read
    /// (``MemoryLimit``).
    ///
    /// - Parameter path: the file's path.
    /// - Throws: ``ModelFileError/tooLarge(path:detail:)`` or ``ModelFileError/io(path:detail:)``.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw ModelFileError.io(path: path, detail: String(cString: strerror(errno))) }
        defer { fclose(file) }
        var status = stat()
        if fstat(fileno(file), &status) == 0 {
            let size = Int(status.st_size)
            do {
                try MemoryLimit.check(size.multipliedReportingOverflow(by: 2).overflow ? nil : 2 * size, for: "reading it (\(size) bytes, and a decoded copy)")
            } catch {
                throw ModelFileError.tooLarge(path: path, detail: error.description)
            }
        }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            data += chunk[0..<n]
        }
        if ferror(file) != 0 { throw ModelFileError.io(path: path, detail: "read error") }
        return data
    }

    /// Writes `data` to `path.tmp-<pid>`, flushes it, then renames it over
    /// `path`; on any failure the temporary file is removed. Temporary files
    /// of `path` left by processes that no longer run (killed during a save)
    /// are removed first.
    ///
    /// - Parameters:
    ///   - data: the bytes to write.
    ///   - path: the file to create or replace.
    /// - Throws: ``ModelFileError/io(path:detail:)``.
    public static func write(_ data: [UInt8], to path: String) throws {
        removeStaleTemporaries(of: path)
        let temporary = "\(path).tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else { throw ModelFileError.io(path: path, detail: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written == data.count, flushed else {
            unlink(temporary)
            throw ModelFileError.io(path: path, detail: "could not write \(data.count) bytes")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ModelFileError.io(path: path, detail: reason)
        }
    }

    /// The directory part of `path` (`.` when there is none).
    ///
    /// - Parameter path: a file's path.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes `path.tmp-<pid>` files whose process is gone.
    static func removeStaleTemporaries(of path: String) {
        let directory = directory(of: path)
        let prefix = (path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path) + ".tmp-"
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }
}
