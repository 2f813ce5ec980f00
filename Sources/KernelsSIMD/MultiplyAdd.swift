import KernelsCore

// One place decides how `a·b + c` is computed, so that every kernel (and its
// edge-tile fallback) rounds the same way: with `KERNELS_FMA` one fused
// operation, otherwise a multiply then an add. Using `addingProduct` on a target
// without FMA instructions would call `fmaf` once per lane (the "SIMD build
// trap" in Docs/Building.md).

extension SIMD where Scalar == Float {
    /// `self + a·b`, fused when the build target has FMA instructions.
    @inline(__always)
    func multiplyAdding(_ a: Self, _ b: Self) -> Self {
        #if KERNELS_FMA
            return addingProduct(a, b)
        #else
            return self + a * b
        #endif
    }

    /// `self + a·b` with a scalar `b`.
    @inline(__always)
    func multiplyAdding(_ a: Self, _ b: Float) -> Self {
        multiplyAdding(a, Self(repeating: b))
    }
}

extension Float {
    /// `self + a·b`, rounded exactly as the SIMD form for the same build.
    @inline(__always)
    func multiplyAdding(_ a: Float, _ b: Float) -> Float {
        #if KERNELS_FMA
            return addingProduct(a, b)
        #else
            return self + a * b
        #endif
    }
}
