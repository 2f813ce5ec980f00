/// The SIMD width of the elementwise kernels.
public enum VectorWidth: Sendable, Hashable, CaseIterable {
    /// `SIMD8<Float>`: 256-bit vectors.
    case simd8
    /// `SIMD16<Float>`: 512-bit vectors (two 256-bit halves on CPUs without AVX-512).
    case simd16
}
