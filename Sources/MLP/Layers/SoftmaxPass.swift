import Kernels

/// A softmax output layer: z = x·W + b, p = softmax(z) per sample.
enum SoftmaxPass {
    // x (batch × inputs), W (inputs × classes), b (1 × classes)
    //   → z (batch × classes, the logits), p (batch × classes)
    /// The logits through one GEMM with the bias fused, then softmax along
    /// each row.
    static func forward(
        z: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
        batch: Int, inputs: Int, classes: Int, threads: Int
    ) {
        DensePass.forward(z: nil, a: z, x: x, w: w, b: b, .identity, batch: batch, inputs: inputs, columns: classes, threads: threads)
        Softmax.probabilities(rows: batch, columns: classes, logits: z, ldz: max(1, batch), into: p, ldp: max(1, batch))
    }

    // ∂L/∂p, p (batch × classes) → δ (batch × classes)
    /// Through the softmax Jacobian: δᵢ = pᵢ ⊙ (gᵢ − gᵢ·pᵢ) for each sample i.
    /// (The cross-entropy loss skips this: it gives δ from the logits directly.)
    static func unitsBackward(delta: UnsafeMutablePointer<Float>, upstream g: UnsafePointer<Float>, p: UnsafePointer<Float>, batch: Int, classes: Int) {
        for i in 0..<batch {
            var dot: Float = 0
            for j in 0..<classes { dot += g[i + j * batch] * p[i + j * batch] }
            for j in 0..<classes { delta[i + j * batch] = p[i + j * batch] * (g[i + j * batch] - dot) }
        }
    }
}
