import KernelsCore

/// The loops under every elementwise kernel, one vector at a time, the tail
/// through a zero-filled vector so that every element goes through the same
/// lane arithmetic. `out` may alias an input.
/// Each loop is written out twice, for whole vectors and for the tail,
/// without a closure: the closure of a generic `forEachVector` was not
/// inlined in every caller (measured: a call per vector, 8% of a fused GEMM),
/// and with the partial loads in the same loop LLVM split the vector math
/// into lanes.
enum ElementwiseLoop {
    /// `out[i] = f(x[i])`.
    @inline(__always)
    static func apply<F: VectorFunction>(_ f: F, count: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        typealias M = F.Math
        let lanes = M.Vector.scalarCount, full = count / lanes * lanes
        var i = 0
        while i < full {
            M.store(f.forward(M.load(x + i, count: lanes)), count: lanes, to: out + i)
            i += lanes
        }
        if full < count { M.store(f.forward(M.load(x + full, count: count - full)), count: count - full, to: out + full) }
    }

    /// `out[i] = f′(z[i], a[i])`.
    @inline(__always)
    static func derivative<F: ActivationFunction>(
        _ f: F, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        typealias M = F.Math
        let lanes = M.Vector.scalarCount, full = count / lanes * lanes
        var i = 0
        while i < full {
            M.store(f.derivative(z: M.load(z + i, count: lanes), a: M.load(a + i, count: lanes)), count: lanes, to: out + i)
            i += lanes
        }
        if full < count {
            let n = count - full
            M.store(f.derivative(z: M.load(z + full, count: n), a: M.load(a + full, count: n)), count: n, to: out + full)
        }
    }

    /// `g[i] ← g[i]·f′(z[i], a[i])`.
    @inline(__always)
    static func multiplyByDerivative<F: ActivationFunction>(
        _ f: F, count: Int, gradient g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>
    ) {
        typealias M = F.Math
        let lanes = M.Vector.scalarCount, full = count / lanes * lanes
        var i = 0
        while i < full {
            let d = f.derivative(z: M.load(z + i, count: lanes), a: M.load(a + i, count: lanes))
            M.store(M.multiply(M.load(g + i, count: lanes), d), count: lanes, to: g + i)
            i += lanes
        }
        if full < count {
            let n = count - full
            let d = f.derivative(z: M.load(z + full, count: n), a: M.load(a + full, count: n))
            M.store(M.multiply(M.load(g + full, count: n), d), count: n, to: g + full)
        }
    }

    /// `out[i] = f(x[i] + b)`, also storing `x[i] + b` to `z` when given: the
    /// forward epilogue on one column of a tile.
    @inline(__always)
    static func addAndApply<F: VectorFunction>(
        _ f: F, count: Int, _ x: UnsafeMutablePointer<Float>, adding b: Float, z: UnsafeMutablePointer<Float>?
    ) {
        typealias M = F.Math
        let lanes = M.Vector.scalarCount, full = count / lanes * lanes, bias = M.Vector(repeating: b)
        var i = 0
        while i < full {
            let v = M.add(M.load(x + i, count: lanes), bias)
            if let z { M.store(v, count: lanes, to: z + i) }
            M.store(f.forward(v), count: lanes, to: x + i)
            i += lanes
        }
        if full < count {
            let n = count - full
            let v = M.add(M.load(x + full, count: n), bias)
            if let z { M.store(v, count: n, to: z + full) }
            M.store(f.forward(v), count: n, to: x + full)
        }
    }
}
