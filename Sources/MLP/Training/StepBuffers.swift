import Kernels

/// Every buffer a training step needs for batches of up to `capacity`
/// samples, in one aligned arena allocated once: steps reuse it and allocate
/// nothing. The memory is reached only through ``withUnsafeMemory(batch:_:)``.
///
/// Inside a step every per-sample buffer holds a (batch × width) column-major
/// block with leading dimension `batch`.
final class StepBuffers {
    let capacity: Int
    private let layout: Layout
    private let arena: AlignedBuffer

    /// Offsets, in floats per sample: the arena holds `capacity` samples of
    /// each buffer.
    fileprivate struct Layout {
        var x = 0, t = 0, inputGradient = 0
        /// Per layer: z, a, ∂L/∂z, ∂L/∂a, and where used the dropout mask, the
        /// activations after dropout and the maxout winners.
        var z: [Int] = [], a: [Int] = [], delta: [Int] = [], upstream: [Int] = []
        var mask: [Int?] = [], dropped: [Int?] = [], argmax: [Int?] = []
        var floatsPerSample = 0

        init(_ shapes: [LayerShape], dropout: Bool) {
            func place(_ width: Int) -> Int {
                defer { floatsPerSample += width }
                return floatsPerSample
            }
            x = place(shapes[0].inputs)
            inputGradient = place(shapes[0].inputs)
            t = place(shapes[shapes.count - 1].outputs)
            for (l, shape) in shapes.enumerated() {
                let hidden = dropout && l < shapes.count - 1
                z.append(place(shape.columns))
                a.append(place(shape.outputs))
                delta.append(place(shape.columns))
                upstream.append(place(shape.outputs))
                mask.append(hidden ? place(shape.outputs) : nil)
                dropped.append(hidden ? place(shape.outputs) : nil)
                argmax.append(shape.units.piecesPerUnit > 1 ? place(shape.outputs) : nil)
            }
        }
    }

    init(shapes: [LayerShape], capacity: Int, dropout: Bool) {
        self.capacity = capacity
        layout = Layout(shapes, dropout: dropout)
        arena = AlignedBuffer(count: layout.floatsPerSample * capacity, repeating: 0)
    }

    /// Calls `body` with the buffers laid out for `batch` ≤ `capacity` samples.
    func withUnsafeMemory<R>(batch: Int, _ body: (StepMemory) throws -> R) rethrows -> R {
        precondition(batch <= capacity, "StepBuffers: batch \(batch) above capacity \(capacity)")
        return try body(StepMemory(base: arena.pointer, batch: batch, capacity: capacity, layout: layout))
    }
}

/// The memory of ``StepBuffers`` for one scoped access.
struct StepMemory {
    fileprivate let base: UnsafeMutablePointer<Float>
    let batch: Int
    fileprivate let capacity: Int
    fileprivate let layout: StepBuffers.Layout

    private func at(_ offset: Int) -> UnsafeMutablePointer<Float> { base + offset * capacity }

    /// The batch's inputs (batch × inputs) and targets (batch × outputs).
    var x: UnsafeMutablePointer<Float> { at(layout.x) }
    var t: UnsafeMutablePointer<Float> { at(layout.t) }
    /// ∂L/∂x (batch × inputs), when asked for.
    var inputGradient: UnsafeMutablePointer<Float> { at(layout.inputGradient) }
    /// Layer `l`'s pre-activations z (batch × columns) and activations a (batch × outputs).
    func z(_ l: Int) -> UnsafeMutablePointer<Float> { at(layout.z[l]) }
    func a(_ l: Int) -> UnsafeMutablePointer<Float> { at(layout.a[l]) }
    /// ∂L/∂z (batch × columns) and ∂L/∂a (batch × outputs) of layer `l`.
    func delta(_ l: Int) -> UnsafeMutablePointer<Float> { at(layout.delta[l]) }
    func upstream(_ l: Int) -> UnsafeMutablePointer<Float> { at(layout.upstream[l]) }
    /// The dropout mask of hidden layer `l` (batch × outputs), when training with dropout.
    func mask(_ l: Int) -> UnsafeMutablePointer<Float>? { layout.mask[l].map(at) }
    /// The maxout winner of each output of layer `l`, as a float (batch × outputs).
    func argmax(_ l: Int) -> UnsafeMutablePointer<Float>? { layout.argmax[l].map(at) }
    /// What layer `l + 1` reads: the activations after dropout, or the activations.
    func output(_ l: Int) -> UnsafeMutablePointer<Float> { at(layout.dropped[l] ?? layout.a[l]) }
    /// The input of layer `l`.
    func input(_ l: Int) -> UnsafeMutablePointer<Float> { l == 0 ? x : output(l - 1) }
}
