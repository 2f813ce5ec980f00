#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's own resource usage (`getrusage`), for the suites that report
/// CPU time or peak memory.
enum ProcessUsage {
    /// The usage so far.
    static var now: rusage {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }

    /// User plus system CPU time so far, in seconds.
    static var cpuSeconds: Double {
        let usage = now
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// The peak resident set so far, in bytes (Linux reports KiB, macOS bytes).
    static var peakResidentBytes: Int {
        #if canImport(Darwin)
            return now.ru_maxrss
        #else
            return now.ru_maxrss * 1024
        #endif
    }
}
