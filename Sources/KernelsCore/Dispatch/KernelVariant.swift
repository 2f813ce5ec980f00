/// One compilation of the package's vector code for an instruction set.
///
/// A build of the package holds several (on x86-64: ``baseline``, ``avx2``
/// and ``avx512``) and runs the best one the CPU supports, chosen once at
/// first use (Docs/Building.md, "Run-time dispatch"). Within a variant,
/// results are bitwise identical for any thread count; across variants they
/// may differ in the last bits, because fused multiply-adds round once.
public enum KernelVariant: String, Sendable, Hashable, CaseIterable {
    /// x86-64 as every 64-bit x86 CPU runs it (SSE2): multiply-adds are a
    /// vector multiply then a vector add.
    case baseline
    /// x86-64-v3: AVX2 and FMA (Intel Haswell and AMD Zen onwards).
    case avx2
    /// x86-64-v4: AVX-512 F, CD, BW, DQ and VL, with the 32 × 12 `SIMD16`
    /// GEMM micro-kernel.
    case avx512
    /// arm64: NEON, whose multiply-adds are always fused.
    case neon

    /// Whether multiply-adds are fused (one rounding).
    public var hasFusedMultiplyAdd: Bool { self != .baseline }

    /// Whether the variant has 16-lane (512-bit) vector registers, and with
    /// them the `SIMD16<Float>` GEMM micro-kernel.
    public var hasWideVectors: Bool { self == .avx512 }

    /// What the variant targets, e.g. `"avx2 (x86-64-v3: AVX2, FMA)"`.
    public var summary: String {
        switch self {
        case .baseline: return "baseline (x86-64: SSE2, no FMA)"
        case .avx2: return "avx2 (x86-64-v3: AVX2, FMA)"
        case .avx512: return "avx512 (x86-64-v4: AVX-512, FMA)"
        case .neon: return "neon (arm64: NEON, FMA)"
        }
    }
}
