/// What the kernels were compiled for.
///
/// The root `Package.swift` compiles the package for the building machine's
/// CPU and sets the conditions `KERNELS_FMA` and `KERNELS_AVX512` from it; a
/// build for another CPU sets them with `KERNELS_TARGET_CPU` (see
/// `Docs/Building.md`). Without `KERNELS_FMA`, multiply-adds are a vector
/// multiply followed by a vector add, because a fused multiply-add on a target
/// without the instruction becomes a scalar library call per lane.
public enum BuildConfiguration {
    /// Whether multiply-adds compile to hardware fused multiply-add instructions.
    public static var hasFusedMultiplyAdd: Bool {
        #if KERNELS_FMA
        return true
        #else
        return false
        #endif
    }

    /// Whether the build targets 16-lane (512-bit) vector registers, which
    /// enables the `SIMD16<Float>` GEMM micro-kernel.
    public static var hasWideVectors: Bool {
        #if KERNELS_AVX512
        return true
        #else
        return false
        #endif
    }

    /// A one-line summary, e.g. `"fma avx512"` or `"baseline (no fma)"`.
    public static var summary: String {
        switch (hasFusedMultiplyAdd, hasWideVectors) {
        case (true, true): return "fma avx512"
        case (true, false): return "fma"
        default: return "baseline (no fma)"
        }
    }
}
