import Kernels

/// Inverted dropout on a hidden layer's activations.
enum Dropout {
    // a (batch × outputs) → out, mask (batch × outputs)
    /// out = a ⊙ mask with mask = 0 (probability `rate`) or 1/(1 − rate),
    /// drawn from `generator` in element order (deterministic for a seed).
    static func forward(
        out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>,
        rate: Float, count: Int, using generator: inout Xoshiro256
    ) {
        let keep = 1 / (1 - rate)
        // 24 random bits per element: the top bits of each 64-bit draw.
        for i in 0..<count {
            let u = Float(generator.next() >> 40) * 0x1p-24
            mask[i] = u < rate ? 0 : keep
            out[i] = a[i] * mask[i]
        }
    }

    // ∂L/∂out, mask (batch × outputs) → ∂L/∂a, in place
    /// The gradient flows through the kept units only, scaled as they were.
    static func backward(gradient: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { gradient[i] *= mask[i] }
    }
}
