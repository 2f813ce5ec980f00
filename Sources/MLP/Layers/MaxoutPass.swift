import Kernels

/// A maxout layer: each of its units is the largest of `pieces` linear
/// pieces, z = x·W + b with unit j's pieces in columns j·pieces ..< (j + 1)·pieces.
enum MaxoutPass {
    // x (batch × inputs), W (inputs × outputs·pieces), b (1 × outputs·pieces)
    //   → z (batch × outputs·pieces), a (batch × outputs), argmax (batch × outputs, when training)
    /// z = x·W + b, a[i, j] = max over p of z[i, j·pieces + p], remembering
    /// the winning p (as a float) for the backward pass.
    static func forward(
        z: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Float>?,
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
        pieces: Int, batch: Int, inputs: Int, outputs: Int, threads: Int
    ) {
        DensePass.forward(
            z: nil, a: z, x: x, w: w, b: b, .identity, batch: batch, inputs: inputs, columns: outputs * pieces, threads: threads)
        for j in 0..<outputs {
            let out = a + j * batch, first = z + j * pieces * batch
            out.update(from: first, count: batch)
            argmax?.advanced(by: j * batch).update(repeating: 0, count: batch)
            for p in 1..<max(1, pieces) {
                let piece = first + p * batch
                for i in 0..<batch where piece[i] > out[i] || piece[i].isNaN {
                    out[i] = piece[i]
                    argmax?[j * batch + i] = Float(p)
                }
            }
        }
    }

    // ∂L/∂a (batch × outputs), argmax (batch × outputs) → δ (batch × outputs·pieces)
    /// The gradient goes to the winning piece only.
    static func unitsBackward(
        delta: UnsafeMutablePointer<Float>, upstream: UnsafePointer<Float>, argmax: UnsafePointer<Float>,
        pieces: Int, batch: Int, outputs: Int
    ) {
        delta.update(repeating: 0, count: batch * outputs * pieces)
        for j in 0..<outputs {
            for i in 0..<batch {
                let piece = Int(argmax[i + j * batch])
                delta[i + (j * pieces + piece) * batch] = upstream[i + j * batch]
            }
        }
    }
}
