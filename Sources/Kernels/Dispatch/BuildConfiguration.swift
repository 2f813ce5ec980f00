/// What this build contains and what it runs (Docs/Building.md).
///
/// The vector code is compiled once per ``KernelVariant`` and the best one
/// the CPU supports runs (``KernelVariant/active``). These properties
/// describe the active variant.
public enum BuildConfiguration {
    /// Whether multiply-adds of the active variant are fused instructions.
    public static var hasFusedMultiplyAdd: Bool { KernelVariant.active.hasFusedMultiplyAdd }

    /// Whether the active variant has 16-lane (512-bit) vector registers,
    /// which enables the `SIMD16<Float>` GEMM micro-kernel.
    public static var hasWideVectors: Bool { KernelVariant.active.hasWideVectors }

    /// A one-line summary of the active variant, the compiled ones and those
    /// this CPU supports, e.g. `"avx2 (x86-64-v3: AVX2, FMA); compiled:
    /// baseline, avx2, avx512; supported here: baseline, avx2"`.
    public static var summary: String {
        func names(_ variants: [KernelVariant]) -> String { variants.map(\.rawValue).joined(separator: ", ") }
        return "\(KernelVariant.active.summary); compiled: \(names(KernelVariant.compiled)); supported here: \(names(KernelVariant.supported))"
    }

    /// Runs `iterations` × 12 independent multiply-adds of `width` lanes as
    /// the active variant's kernels compute them (fused or not) and returns
    /// a value that depends on all of them: the benchmarks' probe of the
    /// machine's multiply-add ceiling, which GEMM rates are compared with.
    ///
    /// - Parameters:
    ///   - width: the vector width; ``VectorWidth/simd16`` needs a variant with
    ///     ``hasWideVectors`` to run at full speed.
    ///   - iterations: how many rounds of 12 multiply-adds.
    public static func multiplyAddProbe(width: VectorWidth, iterations: Int) -> Float {
        KernelDispatch.implementation.multiplyAddProbe(width: width, iterations: iterations)
    }
}
