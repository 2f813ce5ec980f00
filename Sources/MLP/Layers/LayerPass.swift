import Kernels

/// A layer's architecture without its parameters.
struct LayerShape: Equatable {
    var inputs: Int
    var outputs: Int
    var units: Units
    var hasBias: Bool
    /// Columns of W and z: outputs × pieces.
    var columns: Int { outputs * units.piecesPerUnit }
}

extension DenseLayer {
    var shape: LayerShape { LayerShape(inputs: inputs, outputs: outputs, units: units, hasBias: bias != nil) }
}

/// One layer's forward pass and the backward pass through its units, by
/// layer kind (``DensePass``, ``MaxoutPass``, ``SoftmaxPass``); shared by
/// training and inference.
enum LayerPass {
    // x (batch × inputs), W (inputs × columns), b (1 × columns)
    //   → z (batch × columns; may be nil for elementwise units), a (batch × outputs), argmax (maxout, training)
    static func forward(
        _ shape: LayerShape, z: UnsafeMutablePointer<Float>?, a: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Float>?,
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, batch: Int, threads: Int
    ) {
        switch shape.units {
        case .activation(let f):
            DensePass.forward(z: z, a: a, x: x, w: w, b: b, f, batch: batch, inputs: shape.inputs, columns: shape.columns, threads: threads)
        case .softmax:
            guard let z else { preconditionFailure("softmax needs a buffer for its logits") }
            SoftmaxPass.forward(z: z, p: a, x: x, w: w, b: b, batch: batch, inputs: shape.inputs, classes: shape.outputs, threads: threads)
        case .maxout(let pieces):
            guard let z else { preconditionFailure("maxout needs a buffer for its pieces") }
            MaxoutPass.forward(
                z: z, a: a, argmax: argmax, x: x, w: w, b: b, pieces: pieces, batch: batch, inputs: shape.inputs,
                outputs: shape.outputs, threads: threads)
        }
    }

    // ∂L/∂a (batch × outputs), z (batch × columns), a (batch × outputs) → δ = ∂L/∂z (batch × columns)
    static func unitsBackward(
        _ shape: LayerShape, delta: UnsafeMutablePointer<Float>, upstream: UnsafePointer<Float>,
        z: UnsafePointer<Float>, a: UnsafePointer<Float>, argmax: UnsafePointer<Float>?, batch: Int
    ) {
        switch shape.units {
        case .activation(let f):
            DensePass.unitsBackward(delta: delta, upstream: upstream, z: z, a: a, f, count: batch * shape.outputs)
        case .softmax:
            SoftmaxPass.unitsBackward(delta: delta, upstream: upstream, p: a, batch: batch, classes: shape.outputs)
        case .maxout(let pieces):
            guard let argmax else { preconditionFailure("maxout's backward pass needs the winners of its forward pass") }
            MaxoutPass.unitsBackward(delta: delta, upstream: upstream, argmax: argmax, pieces: pieces, batch: batch, outputs: shape.outputs)
        }
    }
}
