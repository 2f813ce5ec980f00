/// Stops the program with `message` when `condition` is false.
///
/// Unlike `precondition`, whose message optimized builds drop, the message is
/// printed in every build configuration: a wrong shape or argument must be
/// reported by name, not as a bare trap.
@inlinable @inline(__always)
package func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { requirementFailed(message()) }
}

@usableFromInline @inline(never)
package func requirementFailed(_ message: String) -> Never {
    fatalError(message)
}
