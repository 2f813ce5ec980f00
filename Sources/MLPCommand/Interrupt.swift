import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C during training: the first SIGINT asks training to stop at the end
/// of the current step (the command then saves what it has); a second one
/// ends the process as usual.
enum Interrupt {
    private static let requested = Atomic<Bool>(false)

    /// Whether SIGINT arrived since ``install()``.
    static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Installs the handler, and unblocks SIGINT in case the process that
    /// started this one left it blocked.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            Interrupt.requested.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
        }
    }
}
