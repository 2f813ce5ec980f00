import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The width of the terminal on standard error, read with `TIOCGWINSZ` and
/// again after every `SIGWINCH` (a resize).
enum TerminalWidth {
    private static let resized = Atomic<Bool>(true)
    private static let columns = Atomic<Int>(80)

    /// Re-reads the width after a resize.
    static func install() {
        signal(SIGWINCH) { _ in TerminalWidth.resized.store(true, ordering: .relaxed) }
    }

    /// The current width in columns (80 when unknown).
    static var current: Int {
        if resized.exchange(false, ordering: .relaxed) {
            var size = winsize()
            let width = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
            columns.store(width, ordering: .relaxed)
        }
        return columns.load(ordering: .relaxed)
    }

    /// `line` cut to fit in one row of `width` columns (one column spare, so
    /// the cursor never wraps).
    static func fit(_ line: String, width: Int) -> String {
        let room = max(1, width - 1)
        return line.count <= room ? line : String(line.prefix(room))
    }
}
