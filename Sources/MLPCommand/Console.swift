#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the command writes: results to standard output, progress and notes
/// to standard error (so `--json` output stays clean).
struct Console {
    var quiet = false
    /// Whether standard error is a terminal (live progress bar) or not (one line per epoch).
    let isTerminal = isatty(2) != 0

    func out(_ text: String) { write(1, text) }

    /// A note on standard error, unless quiet.
    func note(_ text: String) { if !quiet { write(2, text + "\n") } }

    func error(_ text: String) { write(2, text + "\n") }

    /// Writes without a newline, for redrawing the progress line.
    func progress(_ text: String) { if !quiet { write(2, text) } }

    private func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        #if canImport(Glibc)
            _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        #else
            _ = bytes.withUnsafeBytes { Darwin.write(descriptor, $0.baseAddress, $0.count) }
        #endif
    }
}
