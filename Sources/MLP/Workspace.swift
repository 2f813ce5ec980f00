import Kernels

/// A 64-byte aligned float buffer owned by one trainer.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    /// A buffer holding a copy of `matrix`'s elements (column-major).
    convenience init(copying matrix: Matrix) {
        self.init(count: matrix.count)
        matrix.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: $0.count) } }
    }

    /// The first rows × columns floats as a matrix.
    func matrix(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, columnMajor: Array(UnsafeBufferPointer(start: pointer, count: rows * columns)))
    }

    deinit { pointer.deallocate() }
}

/// Every buffer a training step needs for batches of up to `capacity` samples,
/// allocated once: steps reuse them and allocate nothing.
final class Workspace {
    let capacity: Int
    let x: FloatBuffer, t: FloatBuffer
    /// Per layer: pre-activations, activations, the input of the next layer
    /// after dropout (or nil), the dropout mask, ∂L/∂z, ∂L/∂a where needed,
    /// maxout winners.
    let z: [FloatBuffer], a: [FloatBuffer], dropped: [FloatBuffer?], mask: [FloatBuffer?]
    let delta: [FloatBuffer], upstream: [FloatBuffer], argmax: [UnsafeMutablePointer<Int32>]
    /// Per layer: the weight and bias gradients.
    let dW: [FloatBuffer], db: [FloatBuffer]
    /// The gradient of every parameter tensor, in the trainer's tensor order
    /// (weights, then the biases of the layers that have them).
    let gradients: [UnsafePointer<Float>]

    init(shapes layers: [LayerShape], capacity: Int, dropout: Bool) {
        self.capacity = capacity
        x = FloatBuffer(count: capacity * layers[0].inputs)
        t = FloatBuffer(count: capacity * layers[layers.count - 1].outputs)
        let hidden = { (l: Int) in dropout && l < layers.count - 1 }
        z = layers.map { FloatBuffer(count: capacity * $0.columns) }
        a = layers.map { FloatBuffer(count: capacity * $0.outputs) }
        dropped = layers.indices.map { hidden($0) ? FloatBuffer(count: capacity * layers[$0].outputs) : nil }
        mask = layers.indices.map { hidden($0) ? FloatBuffer(count: capacity * layers[$0].outputs) : nil }
        delta = layers.map { FloatBuffer(count: capacity * $0.columns) }
        upstream = layers.map { FloatBuffer(count: capacity * $0.outputs) }
        argmax = layers.map {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, capacity * $0.outputs))
            p.initialize(repeating: 0, count: max(1, capacity * $0.outputs))
            return p
        }
        dW = layers.map { FloatBuffer(count: $0.inputs * $0.columns) }
        db = layers.map { FloatBuffer(count: $0.columns) }
        gradients = dW.map { UnsafePointer($0.pointer) } + zip(layers, db).compactMap { $0.hasBias ? UnsafePointer($1.pointer) : nil }
    }

    deinit { argmax.forEach { $0.deallocate() } }

    /// The input of layer `l`'s successor: the activations after dropout.
    func output(of l: Int) -> UnsafeMutablePointer<Float> { (dropped[l] ?? a[l]).pointer }
}

/// A copy of every parameter (and the optimizer state) kept in preallocated
/// memory: the last good weights for divergence roll-back and the best weights
/// for early stopping. Saving and restoring copy values and allocate nothing.
final class ParameterSnapshot {
    private let buffers: [FloatBuffer]
    var step = 0

    init(sizes: [Int]) { buffers = sizes.map { FloatBuffer(count: $0) } }

    func save(_ tensors: [(UnsafeMutablePointer<Float>, Int)], step: Int) {
        for (buffer, (p, count)) in zip(buffers, tensors) { buffer.pointer.update(from: p, count: count) }
        self.step = step
    }

    func restore(_ tensors: [(UnsafeMutablePointer<Float>, Int)]) {
        for (buffer, (p, count)) in zip(buffers, tensors) { p.update(from: buffer.pointer, count: count) }
    }
}
