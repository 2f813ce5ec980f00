#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What this machine's memory allows: the one check made before allocating
/// for something whose size comes from outside — a file being read
/// (``AtomicFile/read(_:)``) and the network `mlp train --hidden` asks for.
public enum MemoryLimit {
    /// The machine's physical memory in bytes; 0 when the system does not say.
    public static let physicalBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 0 }
        let (bytes, overflow) = Int(pages).multipliedReportingOverflow(by: Int(size))
        return overflow ? Int.max : bytes
    }()

    /// Why something was refused: what it is, the bytes it would need (`nil`:
    /// more than a 64-bit size can count) and the machine's memory.
    public struct Exceeded: Error, Equatable, CustomStringConvertible {
        /// What needs the memory, e.g. "the network and its training buffers".
        public var what: String
        /// The bytes it would need, or `nil` when the count overflowed.
        public var bytes: Int?
        /// ``physicalBytes`` when it was refused.
        public var available: Int

        /// A refusal of `bytes` for `what` on a machine of `available` bytes.
        ///
        /// - Parameters:
        ///   - what: what the bytes were for, e.g. `a network of 5 layers`.
        ///   - bytes: the bytes asked for, or `nil` when their count overflowed.
        ///   - available: the machine's physical memory in bytes.
        public init(what: String, bytes: Int?, available: Int) {
            self.what = what
            self.bytes = bytes
            self.available = available
        }

        /// "… would need 4.0 TiB; this machine has 23.5 GiB of memory".
        public var description: String {
            let needed = bytes.map(MemoryLimit.format) ?? "more bytes than a 64-bit size can count"
            return "\(what) would need \(needed); this machine has \(MemoryLimit.format(available)) of memory"
        }
    }

    /// Throws unless `bytes` (`nil`: a count that overflowed) fits in the
    /// machine's physical memory. Where the memory is unknown, only an
    /// overflowed count is refused.
    ///
    /// - Parameters:
    ///   - bytes: the bytes asked for, or `nil` when their count overflowed.
    ///   - what: what they are for, named in the error.
    public static func check(_ bytes: Int?, for what: String) throws(Exceeded) {
        guard let bytes, physicalBytes <= 0 || bytes <= physicalBytes else {
            throw Exceeded(what: what, bytes: bytes, available: physicalBytes)
        }
    }

    /// Bytes in binary units with one decimal: "512.0 KiB", "23.4 GiB", "4.0 TiB".
    static func format(_ bytes: Int) -> String {
        var value = Double(bytes), unit = 0
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
