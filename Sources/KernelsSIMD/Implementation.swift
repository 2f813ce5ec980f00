import KernelsCore

#if KERNELS_FMA
    /// The kernel behind `GEMMMicroKernel.simd8`: 16 × 6 on `SIMD8<Float>`.
    typealias SIMD8Kernel = MicroKernel16x6
#else
    /// The kernel behind `GEMMMicroKernel.simd8` in the baseline variant: 8 × 6
    /// on `SIMD4<Float>`, the tile whose accumulators fit the 16 SSE registers.
    typealias SIMD8Kernel = MicroKernel8x6
#endif

/// This module compiled as one variant (Docs/Building.md, "Run-time
/// dispatch"): the same source is built as `KernelsSIMD` (baseline),
/// `KernelsSIMDAVX2` and `KernelsSIMDAVX512`, each with its own target CPU
/// and conditions, and `Kernels` calls whichever the CPU supports through
/// this type. Nothing here is `@inlinable`, so no multiply-add compiled for
/// a variant can be inlined into code built for another.
package enum Implementation: KernelImplementation {
    package static var variant: KernelVariant {
        #if arch(arm64)
            return .neon
        #elseif KERNELS_AVX512
            return .avx512
        #elseif KERNELS_FMA
            return .avx2
        #else
            return .baseline
        #endif
    }

    package static func gemm(
        _ g: GEMMOperands, microKernel: GEMMMicroKernel, path: GEMMPath, blocking: GEMMBlocking, threads: Int
    ) {
        switch (microKernel, path) {
        case (_, .rows):
            GEMMWorkspace.withMemory(count: RowGEMM.workspaceFloats(for: g)) { RowGEMM.run(g, workspace: $0) }
        case (.simd8, .packed):
            ParallelGEMM(driver: BlockedGEMM<SIMD8Kernel>(blocking: blocking)).run(g, threads: threads)
        case (.simd8, .direct):
            ParallelGEMM(driver: DirectGEMM<SIMD8Kernel>()).run(g, threads: threads)
        case (.simd16, .packed):
            #if KERNELS_AVX512
                ParallelGEMM(driver: BlockedGEMM<MicroKernel32x12>(blocking: blocking)).run(g, threads: threads)
            #else
                requirementFailed("sgemm: the simd16 micro-kernel is not in the \(variant) variant")
            #endif
        case (.simd16, .direct):
            #if KERNELS_AVX512
                ParallelGEMM(driver: DirectGEMM<MicroKernel32x12>()).run(g, threads: threads)
            #else
                requirementFailed("sgemm: the simd16 micro-kernel is not in the \(variant) variant")
            #endif
        }
    }

    package static func applyEpilogue(
        _ epilogue: GEMMEpilogue, rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        epilogue.apply(row: 0, column: 0, rows: rows, columns: columns, c: c, ldc: ldc)
    }

    package static func exp(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth) {
        ElementwiseKernels.exp(count: count, x, into: y, width: width)
    }

    package static func log(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth) {
        ElementwiseKernels.log(count: count, x, into: y, width: width)
    }

    package static func apply(
        _ f: Activation, count: Int, _ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        ElementwiseKernels.apply(f, count: count, z, into: a, width: width)
    }

    package static func derivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        into d: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        ElementwiseKernels.derivative(of: f, count: count, z: z, a: a, into: d, width: width)
    }

    package static func multiplyByDerivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gradient g: UnsafeMutablePointer<Float>, width: VectorWidth
    ) {
        ElementwiseKernels.multiplyByDerivative(of: f, count: count, z: z, a: a, gradient: g, width: width)
    }

    package static func activation(_ f: Activation, at z: Float) -> (value: Float, derivative: Float) {
        ElementwiseKernels.activation(f, at: z)
    }

    package static func columnSums(
        rows: Int, columns: Int, _ a: UnsafePointer<Float>, lda: Int, into sums: UnsafeMutablePointer<Float>
    ) {
        ColumnSumsKernel.sums(rows: rows, columns: columns, a, lda: lda, into: sums)
    }

    package static func softmax(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into p: UnsafeMutablePointer<Float>, ldp: Int
    ) {
        SoftmaxKernels.probabilities(rows: rows, columns: columns, logits: z, ldz: ldz, into: p, ldp: ldp)
    }

    package static func logSoftmax(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        SoftmaxKernels.logProbabilities(rows: rows, columns: columns, logits: z, ldz: ldz, into: out, ldo: ldo)
    }

    package static func lossSum(
        _ loss: Loss, rows: Int, columns: Int, predictions p: UnsafePointer<Float>, ldp: Int,
        targets t: UnsafePointer<Float>, ldt: Int, gradient g: UnsafeMutablePointer<Float>?, ldg: Int, gradientScale: Float
    ) -> Double {
        switch loss {
        case .meanSquaredError, .sumOfSquares:
            return LossKernels.squaredError(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, gradientScale: 2 * gradientScale)
        case .sigmoidCrossEntropy:
            return LossKernels.sigmoidCrossEntropy(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: gradientScale)
        case .softmaxCrossEntropy:
            return LossKernels.softmaxCrossEntropy(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: gradientScale)
        case .multiclassHinge:
            return LossKernels.multiclassHinge(rows: rows, columns: columns, p, ldp, t, ldt, g, ldg, scale: gradientScale)
        }
    }

    package static func update(
        _ rule: UpdateRule, count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?
    ) -> Double {
        UpdateKernels.update(rule, count: count, w: w, g: g, s1: s1, s2: s2)
    }

    package static func sumOfSquares(count: Int, _ x: UnsafePointer<Float>) -> Double {
        UpdateKernels.sumOfSquares(count: count, x)
    }

    package static func multiplyAddProbe(width: VectorWidth, iterations: Int) -> Float {
        // The same multiply-adds in chains of the widest vector whose twelve
        // accumulators fit the registers: wider chains would spill to the
        // stack and measure the spills (16 SSE or AVX2 registers).
        let lanes = width == .simd8 ? 8 : 16
        #if KERNELS_AVX512 || arch(arm64)
            return lanes == 8
                ? MultiplyAddProbe.run(SIMD8<Float>.self, iterations: iterations)
                : MultiplyAddProbe.run(SIMD16<Float>.self, iterations: iterations)
        #elseif KERNELS_FMA
            return MultiplyAddProbe.run(SIMD8<Float>.self, iterations: iterations * lanes / 8)
        #else
            return MultiplyAddProbe.run(SIMD4<Float>.self, iterations: iterations * lanes / 4)
        #endif
    }
}
