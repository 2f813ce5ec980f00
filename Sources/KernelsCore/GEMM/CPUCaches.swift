#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data caches of the CPU the program runs on, as the operating system
/// reports them: what the GEMM's default block sizes are derived from
/// (``GEMMBlocking/defaults(for:)``, Docs/GEMM.md).
public struct CPUCaches: Sendable, Hashable {
    /// L1 data cache of one core, in bytes.
    public var l1Data: Int?
    /// L2 cache of one core, in bytes.
    public var l2: Int?
    /// The L3 cache, in bytes (all of it, however many processors share it).
    public var l3: Int?
    /// Logical processors sharing the L3 (1 when unknown).
    public var l3SharedBy: Int
    /// Where the sizes came from: `"sysfs"`, `"sysconf"`, `"sysctl"` or
    /// `"unknown"` (then every size is `nil`).
    public var source: String

    /// Creates a description of caches, e.g. for a machine other than this one.
    ///
    /// - Parameters:
    ///   - l1Data: the L1 data cache of one core in bytes, or `nil` if unknown.
    ///   - l2: the L2 cache of one core in bytes, or `nil` if unknown.
    ///   - l3: the whole L3 cache in bytes, or `nil` if unknown.
    ///   - l3SharedBy: the logical processors sharing the L3.
    ///   - source: where the sizes came from, for reports.
    public init(l1Data: Int?, l2: Int?, l3: Int?, l3SharedBy: Int = 1, source: String) {
        self.l1Data = l1Data
        self.l2 = l2
        self.l3 = l3
        self.l3SharedBy = max(1, l3SharedBy)
        self.source = source
    }

    /// The caches of this machine, read once.
    public static let current: CPUCaches = read()

    private static func read() -> CPUCaches {
        #if os(Linux)
            if let caches = readSysfs() { return caches }
            return readSysconf()
        #elseif os(macOS) || os(iOS) || os(tvOS)
            return readSysctl()
        #else
            return CPUCaches(l1Data: nil, l2: nil, l3: nil, source: "unknown")
        #endif
    }

    #if os(Linux)
        /// `/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size,shared_cpu_list}`.
        private static func readSysfs() -> CPUCaches? {
            var caches = CPUCaches(l1Data: nil, l2: nil, l3: nil, source: "sysfs")
            var found = false
            for index in 0..<8 {
                let directory = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
                guard let level = readLine(directory + "level").flatMap({ Int($0) }),
                    let type = readLine(directory + "type"), type != "Instruction",
                    let size = readLine(directory + "size").flatMap(parseSize)
                else { continue }
                found = true
                switch level {
                case 1: caches.l1Data = size
                case 2: caches.l2 = size
                case 3:
                    caches.l3 = size
                    caches.l3SharedBy = readLine(directory + "shared_cpu_list").map(countCPUs) ?? 1
                default: break
                }
            }
            return found ? caches : nil
        }

        /// glibc's `sysconf` (from CPUID), where sysfs has no cache entries.
        private static func readSysconf() -> CPUCaches {
            func value(_ name: Int32) -> Int? {
                let v = sysconf(name)
                return v > 0 ? v : nil
            }
            let caches = CPUCaches(
                l1Data: value(Int32(_SC_LEVEL1_DCACHE_SIZE)), l2: value(Int32(_SC_LEVEL2_CACHE_SIZE)),
                l3: value(Int32(_SC_LEVEL3_CACHE_SIZE)), source: "sysconf")
            return caches.l1Data == nil && caches.l2 == nil ? CPUCaches(l1Data: nil, l2: nil, l3: nil, source: "unknown") : caches
        }

        /// The first line of a small text file, without its newline.
        private static func readLine(_ path: String) -> String? {
            guard let file = fopen(path, "r") else { return nil }
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 256)
            guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return line.hasSuffix("\n") ? String(line.dropLast()) : line
        }
    #endif

    #if os(macOS) || os(iOS) || os(tvOS)
        /// `hw.l1dcachesize`, `hw.l2cachesize`, `hw.l3cachesize`, preferring the
        /// performance cores' (`hw.perflevel0.*`) where the CPU has two kinds.
        private static func readSysctl() -> CPUCaches {
            func value(_ name: String) -> Int? {
                var result: Int64 = 0
                var size = MemoryLayout<Int64>.size
                guard sysctlbyname(name, &result, &size, nil, 0) == 0, result > 0 else { return nil }
                return Int(result)
            }
            let l1 = value("hw.perflevel0.l1dcachesize") ?? value("hw.l1dcachesize")
            let l2 = value("hw.perflevel0.l2cachesize") ?? value("hw.l2cachesize")
            let sharedBy = value("hw.perflevel0.cpusperl2") ?? 1
            // Apple cores share a large L2 per cluster and have no L3 of their own.
            let l2PerCore = l2.map { $0 / max(1, sharedBy) }
            return CPUCaches(l1Data: l1, l2: l2PerCore, l3: value("hw.l3cachesize"), source: "sysctl")
        }
    #endif
}

/// "32K", "512K", "32768K", "1M" or a plain byte count, in bytes.
func parseSize(_ text: String) -> Int? {
    let multiplier: Int
    var digits = Substring(text)
    switch text.last {
    case "K":
        multiplier = 1 << 10
        digits = digits.dropLast()
    case "M":
        multiplier = 1 << 20
        digits = digits.dropLast()
    case "G":
        multiplier = 1 << 30
        digits = digits.dropLast()
    default: multiplier = 1
    }
    return Int(digits).map { $0 * multiplier }
}

/// The number of CPUs in a list such as "0-1", "0,2,4-7".
func countCPUs(_ list: String) -> Int {
    list.split(separator: ",").reduce(0) { count, part in
        let bounds = part.split(separator: "-").compactMap { Int($0) }
        return count + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
    }
}
