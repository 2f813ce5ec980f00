/// A fixed-size, 64-byte aligned heap block of `Float`s, freed with its last
/// reference. It is the storage of ``Matrix``, of the GEMM packing buffers
/// and of the trainer's parameters and step buffers (in MLP, through scoped
/// handles).
///
/// This is one of the package's two audited `@unchecked Sendable` places. The
/// class holds only an immutable pointer and count; its owners rule out data
/// races on the memory: `Matrix` writes only through a uniquely referenced
/// buffer (copy-on-write), the GEMM workspace pool lends each buffer to one
/// call at a time, and a trainer is used by one thread at a time.
@usableFromInline
package final class AlignedBuffer: @unchecked Sendable {
    /// The first element; 64-byte aligned.
    @usableFromInline package let pointer: UnsafeMutablePointer<Float>
    /// The number of elements.
    @usableFromInline package let count: Int

    /// Allocates `count` uninitialized-but-bound floats.
    @usableFromInline
    package init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    }

    /// Allocates `count` floats, each set to `value`.
    @usableFromInline
    package convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A new buffer holding the same elements.
    @usableFromInline
    package func copy() -> AlignedBuffer {
        let result = AlignedBuffer(count: count)
        result.pointer.initialize(from: pointer, count: count)
        return result
    }

    deinit {
        pointer.deallocate()
    }
}
