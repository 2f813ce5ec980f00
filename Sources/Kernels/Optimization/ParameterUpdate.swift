/// The optimizers' vector loops, on the active variant: what MLP's
/// `Optimizer` runs on each chunk of a parameter buffer.
package enum ParameterUpdate {
    /// Applies `rule` to the `count` parameters at `w` with gradients `g` and
    /// optimizer state `s1`, `s2`; returns Σ Δw².
    package static func apply(
        _ rule: UpdateRule, count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?
    ) -> Double {
        KernelDispatch.implementation.update(rule, count: count, w: w, g: g, s1: s1, s2: s2)
    }

    /// Σ x² over `count` floats, summed in a fixed order.
    package static func sumOfSquares(count: Int, _ x: UnsafePointer<Float>) -> Double {
        KernelDispatch.implementation.sumOfSquares(count: count, x)
    }
}
