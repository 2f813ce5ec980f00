import KernelsCore

/// The elementwise functions of one vector width. `VectorMath8` and
/// `VectorMath16` are generated from one template (Scripts/generate_vector_math.py)
/// because generic SIMD code is not vectorized by the compiler; code that is
/// generic over `VectorMath` and specialized is, as long as every vector
/// operation it uses is one of these requirements.
protocol VectorMath {
    associatedtype Vector: SIMD where Vector.Scalar == Float
    static func multiply(_ a: Vector, _ b: Vector) -> Vector
    static func add(_ a: Vector, _ b: Vector) -> Vector
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
    static func stepDerivative(_ z: Vector) -> Vector
    static func sigmoidDerivative(output a: Vector) -> Vector
    static func tanhDerivative(output a: Vector) -> Vector
    static func reluDerivative(_ z: Vector) -> Vector
    static func leakyReLUDerivative(_ z: Vector, slope: Float) -> Vector
    static func hardSigmoidDerivative(_ z: Vector) -> Vector
    static func geluDerivative(_ z: Vector) -> Vector
}

extension VectorMath {
    /// Loads `count` ≤ one vector of floats from `p`, the lanes past `count` zero.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, count: Int) -> Vector {
        if count == Vector.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        var v = Vector()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>, count: Int) -> Vector { load(UnsafePointer(p), count: count) }

    /// Stores the first `count` lanes of `v` at `p`.
    @inline(__always)
    static func store(_ v: Vector, count: Int, to p: UnsafeMutablePointer<Float>) {
        if count == Vector.scalarCount {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
        } else {
            for l in 0..<count { p[l] = v[l] }
        }
    }
}
