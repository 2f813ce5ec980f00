/// Stops the program with `message` when `condition` is false, reporting
/// `file` and `line` — the caller's, when a public function passes on its own
/// `#fileID` and `#line` defaults (the Kernels module's rule for wrong shapes
/// and arguments, Docs/Reliability.md).
///
/// Unlike `precondition`, whose message optimized builds drop, the message is
/// printed in every build configuration: a wrong shape or argument must be
/// reported by name, not as a bare trap.
@inlinable @inline(__always)
package func require(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
) {
    if !condition { requirementFailed(message(), file: file, line: line) }
}

@usableFromInline @inline(never)
package func requirementFailed(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
