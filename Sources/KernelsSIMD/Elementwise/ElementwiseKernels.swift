import KernelsCore

/// The elementwise kernels on one run of `count` floats, on the calling
/// thread, at either vector width: what `Elementwise` hands each worker.
enum ElementwiseKernels {
    /// `y[i] = eˣ⁽ⁱ⁾`.
    static func exp(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth) {
        switch width {
        case .simd8: ElementwiseLoop.apply(Exp<VectorMath8>(), count: count, x, into: y)
        case .simd16: ElementwiseLoop.apply(Exp<VectorMath16>(), count: count, x, into: y)
        }
    }

    /// `y[i] = ln x[i]`.
    static func log(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth) {
        switch width {
        case .simd8: ElementwiseLoop.apply(Log<VectorMath8>(), count: count, x, into: y)
        case .simd16: ElementwiseLoop.apply(Log<VectorMath16>(), count: count, x, into: y)
        }
    }

    /// `a[i] = f(z[i])`.
    static func apply(
        _ f: Activation, count: Int, _ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        var visitor = Forward(count: count, z: z, a: a)
        f.visit(width, &visitor)
    }

    /// `d[i] = f′(z[i])` from the pre-activations and the outputs.
    static func derivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        into d: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        var visitor = Derivative(count: count, z: z, a: a, out: d)
        f.visit(width, &visitor)
    }

    /// `g[i] ← g[i]·f′(z[i])`.
    static func multiplyByDerivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gradient g: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        var visitor = MultiplyByDerivative(count: count, g: g, z: z, a: a)
        f.visit(width, &visitor)
    }

    /// f(z) and f′(z) of one value, through the 8-lane code, so that they
    /// round exactly as the vector kernels do.
    static func activation(_ f: Activation, at z: Float) -> (value: Float, derivative: Float) {
        var visitor = ScalarVisitor(z: z)
        f.visit(VectorMath8.self, &visitor)
        return (visitor.value, visitor.derivative)
    }

    private struct Forward: ActivationVisitor {
        let count: Int, z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>
        func visit<F: ActivationFunction>(_ f: F) { ElementwiseLoop.apply(f, count: count, z, into: a) }
    }

    private struct Derivative: ActivationVisitor {
        let count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
        func visit<F: ActivationFunction>(_ f: F) { ElementwiseLoop.derivative(f, count: count, z: z, a: a, into: out) }
    }

    private struct MultiplyByDerivative: ActivationVisitor {
        let count: Int, g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>
        func visit<F: ActivationFunction>(_ f: F) { ElementwiseLoop.multiplyByDerivative(f, count: count, gradient: g, z: z, a: a) }
    }

    private struct ScalarVisitor: ActivationVisitor {
        let z: Float
        var value: Float = 0, derivative: Float = 0
        mutating func visit<F: ActivationFunction>(_ f: F) {
            let v = F.Math.Vector(repeating: z)
            let a = f.forward(v)
            value = a[0]
            derivative = f.derivative(z: v, a: a)[0]
        }
    }
}

extension Activation {
    /// Visits this activation's vector code for `width`.
    func visit<V: ActivationVisitor>(_ width: VectorWidth, _ visitor: inout V) {
        switch width {
        case .simd8: visit(VectorMath8.self, &visitor)
        case .simd16: visit(VectorMath16.self, &visitor)
        }
    }
}
