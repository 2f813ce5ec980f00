import Kernels

/// Where each parameter tensor lives in the trainer's buffers: every layer's
/// weights, then the bias of every layer that has one, the order of the
/// optimizer state, snapshots and model files. Each tensor starts on a
/// 64-byte boundary; the padding between tensors is zero in every buffer and
/// stays zero (its gradient is zero, so no optimizer moves it).
struct ParameterLayout {
    /// Per layer: its weights (inputs × columns) and its bias (1 × columns).
    let weights: [Range<Int>], biases: [Range<Int>?]
    /// Every tensor in file order.
    let tensors: [Range<Int>]
    /// Floats of one buffer, padding included; the weights come first and
    /// end at `weightsEnd` (AdamW decays those, never biases).
    let count: Int, weightsEnd: Int

    init(_ shapes: [LayerShape]) {
        var offset = 0
        func place(_ count: Int) -> Range<Int> {
            defer { offset = roundUp(offset + count, to: 16) }
            return offset..<(offset + count)
        }
        weights = shapes.map { place($0.inputs * $0.columns) }
        weightsEnd = offset
        biases = shapes.map { $0.hasBias ? place($0.columns) : nil }
        tensors = weights + biases.compactMap { $0 }
        count = offset
    }
}

/// The trainer's parameters, their gradients and the optimizer's moments:
/// one aligned buffer each, all in ``ParameterLayout``'s layout, reached only
/// through ``withUnsafeTensors(_:)``.
final class ParameterStore {
    let layout: ParameterLayout
    private let parameters: AlignedBuffer, gradients: AlignedBuffer
    private let moments: [AlignedBuffer]

    /// Zeroed gradients and `momentSlots` zeroed moment buffers; parameters
    /// copied from `network`.
    init(network: Network, momentSlots: Int) {
        let layout = ParameterLayout(network.layers.map(\.shape))
        self.layout = layout
        parameters = AlignedBuffer(count: layout.count, repeating: 0)
        gradients = AlignedBuffer(count: layout.count, repeating: 0)
        moments = (0..<momentSlots).map { _ in AlignedBuffer(count: layout.count, repeating: 0) }
        withUnsafeTensors { t in
            for (l, layer) in network.layers.enumerated() {
                layer.weights.withUnsafeBufferPointer { t.w.advanced(by: layout.weights[l].lowerBound).update(from: $0.baseAddress!, count: $0.count) }
                if let bias = layer.bias, let range = layout.biases[l] {
                    bias.withUnsafeBufferPointer { t.w.advanced(by: range.lowerBound).update(from: $0.baseAddress!, count: $0.count) }
                }
            }
        }
    }

    /// Calls `body` with the buffers' memory, valid only inside `body`.
    func withUnsafeTensors<R>(_ body: (TensorMemory) throws -> R) rethrows -> R {
        try body(
            TensorMemory(
                w: parameters.pointer, g: gradients.pointer, s1: moments.first?.pointer, s2: moments.dropFirst().first?.pointer,
                count: layout.count))
    }

    /// A copy of the floats of `range` of the parameters (`gradients: false`)
    /// or of the gradients.
    func matrix(_ range: Range<Int>, rows: Int, columns: Int, gradients: Bool = false) -> Matrix {
        let base = (gradients ? self.gradients : parameters).pointer + range.lowerBound
        return Matrix(rows: rows, columns: columns, columnMajor: Array(UnsafeBufferPointer(start: base, count: range.count)))
    }

    /// Every moment tensor, slot by slot and tensor by tensor in file order.
    var momentTensors: [[Float]] {
        moments.flatMap { buffer in layout.tensors.map { Array(UnsafeBufferPointer(start: buffer.pointer + $0.lowerBound, count: $0.count)) } }
    }

    /// Restores the moments from ``momentTensors``'s form; false when the
    /// counts do not match.
    func setMomentTensors(_ tensors: [[Float]]) -> Bool {
        let ranges = moments.flatMap { buffer in layout.tensors.map { (buffer, $0) } }
        guard ranges.count == tensors.count, zip(ranges, tensors).allSatisfy({ $0.1.count == $1.count }) else { return false }
        for ((buffer, range), values) in zip(ranges, tensors) { (buffer.pointer + range.lowerBound).update(from: values, count: values.count) }
        return true
    }

    /// Zeroes the moments.
    func resetMoments() {
        for buffer in moments { buffer.pointer.update(repeating: 0, count: buffer.count) }
    }

    /// A snapshot holding the parameters and moments.
    func makeSnapshot() -> ParameterSnapshot {
        ParameterSnapshot(buffers: ([parameters] + moments).map { AlignedBuffer(count: $0.count, repeating: 0) })
    }

    /// Copies the parameters and moments into `snapshot`.
    func save(into snapshot: ParameterSnapshot, step: Int) {
        for (copy, buffer) in zip(snapshot.buffers, [parameters] + moments) { copy.pointer.update(from: buffer.pointer, count: buffer.count) }
        snapshot.step = step
    }

    /// Copies the parameters and moments back from `snapshot`.
    func restore(from snapshot: ParameterSnapshot) {
        for (copy, buffer) in zip(snapshot.buffers, [parameters] + moments) { buffer.pointer.update(from: copy.pointer, count: buffer.count) }
    }
}

/// The memory of a ``ParameterStore`` for the duration of one scoped access:
/// parameters `w`, gradients `g` and up to two moment buffers, each `count`
/// floats in ``ParameterLayout``'s layout.
struct TensorMemory {
    let w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>
    let s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?
    let count: Int
}

/// Parameters and optimizer moments kept aside, for divergence roll-back
/// (the last good weights) and early stopping (the best ones); preallocated,
/// so saving and restoring copy values and allocate nothing.
final class ParameterSnapshot {
    fileprivate let buffers: [AlignedBuffer]
    var step = 0

    fileprivate init(buffers: [AlignedBuffer]) { self.buffers = buffers }
}
