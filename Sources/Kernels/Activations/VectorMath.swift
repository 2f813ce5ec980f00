/// The elementwise functions of one vector width. `VectorMath8` and
/// `VectorMath16` are generated from one template (Scripts/generate_vector_math.py)
/// because generic SIMD code is not vectorized by the compiler; code that is
/// generic over `VectorMath` and specialized is.
protocol VectorMath {
    associatedtype Vector: SIMD where Vector.Scalar == Float
    static func exp(_ x: Vector) -> Vector
    static func log(_ x: Vector) -> Vector
    static func step(_ z: Vector) -> Vector
    static func sigmoid(_ z: Vector) -> Vector
    static func tanh(_ z: Vector) -> Vector
    static func relu(_ z: Vector) -> Vector
    static func leakyReLU(_ z: Vector, slope: Float) -> Vector
    static func softplus(_ z: Vector) -> Vector
    static func hardSigmoid(_ z: Vector) -> Vector
    static func gelu(_ z: Vector) -> Vector
    static func sigmoidDerivative(output a: Vector) -> Vector
    static func tanhDerivative(output a: Vector) -> Vector
    static func reluDerivative(_ z: Vector) -> Vector
    static func leakyReLUDerivative(_ z: Vector, slope: Float) -> Vector
    static func hardSigmoidDerivative(_ z: Vector) -> Vector
    static func geluDerivative(_ z: Vector) -> Vector
}

/// The SIMD width of the elementwise kernels.
public enum VectorWidth: Sendable, Hashable, CaseIterable {
    /// `SIMD8<Float>`: 256-bit vectors.
    case simd8
    /// `SIMD16<Float>`: 512-bit vectors (two 256-bit halves on CPUs without AVX-512).
    case simd16

    /// `simd16` when the build targets AVX-512, else `simd8`.
    public static var preferred: VectorWidth { BuildConfiguration.hasWideVectors ? .simd16 : .simd8 }

    /// Floats per vector.
    public var lanes: Int { self == .simd8 ? 8 : 16 }
}

extension Activation {
    /// f(z) on one vector.
    @inline(__always)
    func forward<M: VectorMath>(_: M.Type, _ z: M.Vector) -> M.Vector {
        switch self {
        case .identity: return z
        case .step: return M.step(z)
        case .sigmoid: return M.sigmoid(z)
        case .tanh: return M.tanh(z)
        case .relu: return M.relu(z)
        case .leakyReLU(let slope): return M.leakyReLU(z, slope: slope)
        case .softplus: return M.softplus(z)
        case .hardSigmoid: return M.hardSigmoid(z)
        case .gelu: return M.gelu(z)
        }
    }

    /// f′ on one vector, from the pre-activation z or the output a = f(z),
    /// whichever is cheaper (Docs/Kernels.md).
    @inline(__always)
    func derivative<M: VectorMath>(_: M.Type, z: M.Vector, a: M.Vector) -> M.Vector {
        switch self {
        case .identity: return M.Vector(repeating: 1)
        case .step: return M.Vector(repeating: 0).replacing(with: z, where: z .!= z)
        case .sigmoid: return M.sigmoidDerivative(output: a)
        case .tanh: return M.tanhDerivative(output: a)
        case .relu: return M.reluDerivative(z)
        case .leakyReLU(let slope): return M.leakyReLUDerivative(z, slope: slope)
        case .softplus: return M.sigmoid(z)
        case .hardSigmoid: return M.hardSigmoidDerivative(z)
        case .gelu: return M.geluDerivative(z)
        }
    }
}
