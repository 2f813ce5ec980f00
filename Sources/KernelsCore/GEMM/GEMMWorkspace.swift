import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Packing memory for GEMM calls, kept in a pool so that steady-state calls
/// allocate nothing.
package enum GEMMWorkspace {
    /// Buffers not in use. A call takes one (or makes one when all are lent to
    /// concurrent calls) and gives it back when done. Only touched while
    /// holding `locked`.
    nonisolated(unsafe) private static var idle: [AlignedBuffer] = []
    /// The pool's lock: a flag taken with an acquiring compare-exchange and
    /// released with a releasing store. Held for a pop or a push only. Not
    /// `Synchronization.Mutex`, whose lock ThreadSanitizer on Linux does not
    /// see (it reported every use of the pool as a race); it sees atomics.
    private static let locked = Atomic<Bool>(false)
    private static let heldFloats = Atomic<Int>(0)

    private static func withIdle<R>(_ body: (inout [AlignedBuffer]) -> R) -> R {
        while !locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
        defer { locked.store(false, ordering: .releasing) }
        return body(&idle)
    }

    /// Calls `body` with at least `count` floats of 64-byte aligned memory
    /// that no other call uses meanwhile.
    package static func withMemory<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        var buffer = withIdle { $0.popLast() }
        if buffer == nil || buffer!.count < count {
            // Grow geometrically so a slowly growing size reallocates rarely.
            let size = max(count, 2 * (buffer?.count ?? 0))
            heldFloats.add(size - (buffer?.count ?? 0), ordering: .relaxed)
            buffer = AlignedBuffer(count: size)
        }
        let lent = buffer!
        defer { withIdle { $0.append(lent) } }
        return body(lent.pointer)
    }

    /// Floats held by all pooled buffers.
    static var floatsHeld: Int { heldFloats.load(ordering: .relaxed) }
}

/// The memory held by the GEMM packing buffers, in bytes.
///
/// It is bounded whatever the matrix sizes: a call needs, per block of C it
/// is cut into (one per thread, or four per thread for small products), at
/// most (MS + NC)·KC floats plus one micro-tile, and buffers are pooled, one
/// per GEMM call running at the same moment, growing by doubling.
public var gemmPackingMemory: Int { GEMMWorkspace.floatsHeld * MemoryLayout<Float>.stride }
