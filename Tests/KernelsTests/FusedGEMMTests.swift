import Kernels
import Testing

/// The fused epilogue must give the same bits as the plain GEMM followed by
/// the separate bias and elementwise passes, on every path, kernel, K slicing
/// and thread count.
@Suite("Fused GEMM epilogue")
struct FusedGEMMTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        var transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, beta: Float
        var testDescription: String { "\(transA.blasCharacter)\(transB.blasCharacter) \(m)×\(n)×\(k) β=\(beta)" }
    }

    static let shapes: [Shape] = [
        Shape(transA: .noTranspose, transB: .noTranspose, m: 64, n: 100, k: 1000, beta: 0),
        Shape(transA: .noTranspose, transB: .noTranspose, m: 33, n: 13, k: 7, beta: 0.5),
        Shape(transA: .transpose, transB: .noTranspose, m: 17, n: 10, k: 64, beta: 0),
        Shape(transA: .noTranspose, transB: .transpose, m: 128, n: 29, k: 600, beta: 1),
        Shape(transA: .noTranspose, transB: .noTranspose, m: 1, n: 1, k: 1, beta: 0),
        Shape(transA: .noTranspose, transB: .noTranspose, m: 5, n: 3, k: 0, beta: 2),
    ]

    static func random(_ count: Int, _ g: inout Xoshiro256, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in Float.random(in: -scale...scale, using: &g) }
    }

    @Test("forward: f(A·B + β·C + bias) and z equal the unfused passes bitwise", arguments: shapes)
    func forward(_ s: Shape) {
        var g = Xoshiro256(seed: UInt64(s.m * 131 + s.n))
        let lda = s.transA == .noTranspose ? s.m : s.k, ldb = s.transB == .noTranspose ? s.k : s.n
        let a = Self.random(max(1, lda * (s.transA == .noTranspose ? s.k : s.m)), &g)
        let b = Self.random(max(1, ldb * (s.transB == .noTranspose ? s.n : s.k)), &g, scale: 0.2)
        let c0 = Self.random(s.m * s.n, &g), bias = Self.random(s.n, &g)
        for f in Activation.allCases {
            for variant in allVariants {
                let (kernel, path, isa) = (variant.kernel, variant.path, variant.isa)
                for threads in [1, 2, 3] {
                    let options = GEMMOptions(
                        threads: threads, microKernel: kernel, blocking: GEMMBlocking(mc: 64, kc: 128, nc: 96, ms: 64), path: path,
                        variant: isa)
                    // Unfused: the plain GEMM with the same options, then bias, then the activation kernel.
                    var z = c0
                    sgemm(
                        transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1, a: a, lda: max(1, lda),
                        b: b, ldb: max(1, ldb), beta: s.beta, c: &z, ldc: s.m, options: options)
                    for j in 0..<s.n { for i in 0..<s.m { z[i + j * s.m] += bias[j] } }
                    var expected = z
                    z.withUnsafeBufferPointer { z in
                        expected.withUnsafeMutableBufferPointer { Elementwise.apply(f, to: z, into: $0, options: ElementwiseOptions(variant: isa)) }
                    }

                    var c = c0, zOut = [Float](repeating: .nan, count: s.m * s.n)
                    bias.withUnsafeBufferPointer { bias in
                        zOut.withUnsafeMutableBufferPointer { zOut in
                            sgemm(
                                transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1, a: a, lda: max(1, lda),
                                b: b, ldb: max(1, ldb), beta: s.beta, c: &c, ldc: s.m,
                                epilogue: .activation(f, bias: bias.baseAddress, preActivations: zOut.baseAddress, ldz: s.m),
                                options: options)
                        }
                    }
                    let same =
                        c.elementsEqual(expected) { $0.bitPattern == $1.bitPattern }
                        && zOut.elementsEqual(z) { $0.bitPattern == $1.bitPattern }
                    #expect(same, "\(f) \(variant.testDescription) threads \(threads)")
                }
            }
        }
    }

    @Test("backward: (A·B) ⊙ f′(z) equals the GEMM then multiplyByDerivative bitwise", arguments: shapes)
    func backward(_ s: Shape) {
        var g = Xoshiro256(seed: UInt64(s.m * 7 + s.k))
        let lda = s.transA == .noTranspose ? s.m : s.k, ldb = s.transB == .noTranspose ? s.k : s.n
        let a = Self.random(max(1, lda * (s.transA == .noTranspose ? s.k : s.m)), &g)
        let b = Self.random(max(1, ldb * (s.transB == .noTranspose ? s.n : s.k)), &g)
        let c0 = Self.random(s.m * s.n, &g), z = Self.random(s.m * s.n, &g, scale: 3)
        for f in Activation.allCases {
            var act = z
            z.withUnsafeBufferPointer { z in act.withUnsafeMutableBufferPointer { Elementwise.apply(f, to: z, into: $0) } }
            for variant in allVariants {
                let (path, isa) = (variant.path, variant.isa)
                for threads in [1, 2] {
                    let options = GEMMOptions(
                        threads: threads, microKernel: variant.kernel, blocking: GEMMBlocking(mc: 64, kc: 128, nc: 96, ms: 64), path: path,
                        variant: isa)
                    var expected = c0
                    sgemm(
                        transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 0.5, a: a, lda: max(1, lda),
                        b: b, ldb: max(1, ldb), beta: s.beta, c: &expected, ldc: s.m, options: options)
                    z.withUnsafeBufferPointer { z in
                        act.withUnsafeBufferPointer { act in
                            expected.withUnsafeMutableBufferPointer {
                                Elementwise.multiplyByDerivative(of: f, z: z, a: act, gradient: $0, options: ElementwiseOptions(variant: isa))
                            }
                        }
                    }
                    var c = c0
                    z.withUnsafeBufferPointer { zp in
                        act.withUnsafeBufferPointer { ap in
                            sgemm(
                                transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 0.5, a: a, lda: max(1, lda),
                                b: b, ldb: max(1, ldb), beta: s.beta, c: &c, ldc: s.m,
                                epilogue: .derivative(of: f, preActivations: zp.baseAddress!, ldz: s.m, outputs: ap.baseAddress!, lda: s.m),
                                options: options)
                        }
                    }
                    #expect(c.elementsEqual(expected) { $0.bitPattern == $1.bitPattern }, "\(f) \(variant.testDescription) threads \(threads)")
                }
            }
        }
    }
}
