import KernelsCore

/// One elementwise function's vector code for one width, as a type: loops
/// generic over it are specialized per function and inline its body, with no
/// call or switch per vector. (Closures passed to a loop were not inlined —
/// each vector paid a call — which is why the loops do not take closures.)
protocol VectorFunction {
    associatedtype Math: VectorMath
    /// f(z).
    func forward(_ z: Math.Vector) -> Math.Vector
}

/// An activation's vector code: f and its derivative.
protocol ActivationFunction: VectorFunction {
    /// f′ from the pre-activation z or the output a = f(z), whichever is cheaper.
    func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector
}

/// Code run once per activation with that activation's `VectorFunction`.
protocol ActivationVisitor {
    mutating func visit<F: ActivationFunction>(_ f: F)
}

extension Activation {
    /// Calls `visitor.visit` with this activation's vector code for `Math`:
    /// the one place that switches over the activation.
    func visit<Math: VectorMath, V: ActivationVisitor>(_: Math.Type, _ visitor: inout V) {
        switch self {
        case .identity: visitor.visit(Identity<Math>())
        case .step: visitor.visit(Step<Math>())
        case .sigmoid: visitor.visit(Sigmoid<Math>())
        case .tanh: visitor.visit(Tanh<Math>())
        case .relu: visitor.visit(ReLU<Math>())
        case .leakyReLU(let slope): visitor.visit(LeakyReLU<Math>(slope: slope))
        case .softplus: visitor.visit(Softplus<Math>())
        case .hardSigmoid: visitor.visit(HardSigmoid<Math>())
        case .gelu: visitor.visit(GELU<Math>())
        }
    }
}

struct Identity<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { z }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.Vector(repeating: 1) }
}

struct Step<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.step(z) }
    /// 0 almost everywhere (NaN for NaN): no gradient flows through a step.
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.stepDerivative(z) }
}

struct Sigmoid<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.sigmoid(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.sigmoidDerivative(output: a) }
}

struct Tanh<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.tanh(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.tanhDerivative(output: a) }
}

struct ReLU<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.relu(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.reluDerivative(z) }
}

struct LeakyReLU<Math: VectorMath>: ActivationFunction {
    let slope: Float
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.leakyReLU(z, slope: slope) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.leakyReLUDerivative(z, slope: slope) }
}

struct Softplus<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.softplus(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.sigmoid(z) }
}

struct HardSigmoid<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.hardSigmoid(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.hardSigmoidDerivative(z) }
}

struct GELU<Math: VectorMath>: ActivationFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.gelu(z) }
    @inline(__always) func derivative(z: Math.Vector, a: Math.Vector) -> Math.Vector { Math.geluDerivative(z) }
}

/// eˣ as a `VectorFunction`.
struct Exp<Math: VectorMath>: VectorFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.exp(z) }
}

/// ln x as a `VectorFunction`.
struct Log<Math: VectorMath>: VectorFunction {
    @inline(__always) func forward(_ z: Math.Vector) -> Math.Vector { Math.log(z) }
}
