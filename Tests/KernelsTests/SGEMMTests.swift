import Kernels
import Testing

/// `sgemm` against the `Double` reference (see `expectWithinBound` for the
/// tolerance), for every layout, edge size and scalar the BLAS contract covers.
@Suite("sgemm matches the reference")
struct SGEMMTests {
    @Test("every m, n, k in 0…20, all transposes", arguments: allVariants)
    func everySmallSize(variant: Variant) {
        for (transA, transB) in allTransposes {
            for m in 0...20 {
                for n in 0...20 {
                    for k in 0...20 {
                        let t = GEMMCase(
                            transA: transA, transB: transB, m: m, n: n, k: k, beta: 0.5, kernel: variant.kernel, path: variant.path, isa: variant.isa)
                        expectWithinBound(t, runGEMM(t, seed: UInt64(m * 441 + n * 21 + k)))
                    }
                }
            }
        }
    }

    /// Sizes one either side of every tile and block edge (MR, NR, KC, MC of
    /// both kernels, see Docs/GEMM.md), and primes.
    static let edgeSizes = [15, 16, 17, 31, 32, 33, 5, 6, 7, 11, 12, 13, 95, 96, 97, 511, 512, 513, 127, 509]

    @Test("sizes at MR, NR, KC, MC ± 1 and primes, all transposes", arguments: allVariants)
    func edgeSizes(variant: Variant) {
        for (transA, transB) in allTransposes {
            for (index, size) in Self.edgeSizes.enumerated() {
                // Each edge size in turn as m, n and k, the other two varied too.
                let other = Self.edgeSizes[(index * 7 + 3) % Self.edgeSizes.count]
                let small = [1, 2, 3, 5, 7][index % 5]
                for (m, n, k) in [(size, other, small), (small, size, other), (other, small, size)] {
                    let t = GEMMCase(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2.5, beta: -1, kernel: variant.kernel, path: variant.path, isa: variant.isa)
                    expectWithinBound(t, runGEMM(t, seed: UInt64(size)))
                }
            }
        }
    }

    @Test("NC ± 1 columns and MS ± 1 rows (loops 4 and 6) at the default blocking", arguments: allVariants)
    func defaultBlockEdges(variant: Variant) {
        for (m, n) in [(7, 1019), (7, 1020), (7, 1021), (4127, 7), (4128, 7), (4129, 7)] {
            let t = GEMMCase(m: m, n: n, k: 5, beta: 1, kernel: variant.kernel, path: variant.path, isa: variant.isa)
            expectWithinBound(t, runGEMM(t))
        }
    }

    /// Blocks small enough that a few dozen rows cross every loop of the nest:
    /// MS = 64 (two MC blocks), KC = 16, NC = 24 (several NR panels of both
    /// kernels). 300 × 150 × 80 is enough work to be split between 3 threads.
    @Test("small blocks: several slabs, KC slices and NC blocks; 1 and 3 threads", arguments: allVariants.filter { $0.path == .packed })
    func smallBlocks(variant: Variant) {
        let blocking = GEMMBlocking(mc: 32, kc: 16, nc: 24, ms: 64)
        for (transA, transB) in allTransposes {
            for (m, n, k) in [(63, 23, 15), (64, 24, 16), (65, 25, 17), (129, 50, 40), (200, 7, 33), (300, 150, 80)] {
                for threads in [1, 3] {
                    let t = GEMMCase(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2.5, beta: -1, padding: 2,
                        threads: threads, kernel: variant.kernel, path: .packed, blocking: blocking, isa: variant.isa)
                    expectWithinBound(t, runGEMM(t, seed: UInt64(m * 31 + k)))
                }
            }
        }
    }

    @Test("large k, beyond several KC blocks", arguments: allVariants)
    func largeK(variant: Variant) {
        for (transA, transB) in allTransposes {
            let t = GEMMCase(transA: transA, transB: transB, m: 37, n: 29, k: 3001, beta: 2.5, kernel: variant.kernel, path: variant.path, isa: variant.isa)
            expectWithinBound(t, runGEMM(t))
        }
    }

    @Test("α, β ∈ {0, 1, −1, 2.5}, with padded leading dimensions left untouched")
    func scalarsAndStrides() {
        for alpha: Float in [0, 1, -1, 2.5] {
            for beta: Float in [0, 1, -1, 2.5] {
                for (transA, transB) in allTransposes {
                    for variant in allVariants {
                        let t = GEMMCase(
                            transA: transA, transB: transB, m: 35, n: 14, k: 19, alpha: alpha, beta: beta,
                            padding: 5, kernel: variant.kernel, path: variant.path, isa: variant.isa)
                        expectWithinBound(t, runGEMM(t))
                    }
                }
            }
        }
    }

    @Test("β = 0 never reads C: a NaN-filled C is overwritten", arguments: [Float(0), 1, 2.5])
    func betaZeroIgnoresNaN(alpha: Float) {
        for variant in allVariants {
            for (m, n, k) in [(33, 13, 7), (16, 6, 256), (1, 1, 1), (70, 50, 300), (5, 5, 0)] {
                let t = GEMMCase(m: m, n: n, k: k, alpha: alpha, beta: 0, padding: 3, kernel: variant.kernel, path: variant.path, isa: variant.isa)
                let run = runGEMM(t, cIsNaN: true)
                #expect(
                    !run.result.data.enumerated().contains { index, value in
                        index % run.result.ld < m && value.isNaN
                    }, "\(t.testDescription)")
                expectWithinBound(t, run)
            }
        }
    }

    @Test("NaN and ±∞ in A or B propagate as in the reference")
    func nonFiniteInputsPropagate() {
        for variant in allVariants {
            for (transA, transB) in allTransposes {
                let t = GEMMCase(transA: transA, transB: transB, m: 40, n: 15, k: 300, beta: 1, kernel: variant.kernel, path: variant.path, isa: variant.isa)
                let run = runGEMM(t) { a, b in
                    // op(A)[3, 100] = NaN, op(A)[20, 5] = +∞, op(B)[200, 7] = −∞.
                    if transA == .noTranspose {
                        a[3, 100] = .nan
                        a[20, 5] = .infinity
                    } else {
                        a[100, 3] = .nan
                        a[5, 20] = .infinity
                    }
                    if transB == .noTranspose { b[200, 7] = -.infinity } else { b[7, 200] = -.infinity }
                }
                #expect((0..<15).allSatisfy { run.result[3, $0].isNaN }, "row 3 is NaN: \(t.testDescription)")
                #expect(run.result[20, 0].isInfinite || run.result[20, 0].isNaN)
                expectWithinBound(t, run)
            }
        }
    }

    @Test("A·I = A bitwise, and I·A = A", arguments: availableKernels)
    func identityIsExact(kernel: GEMMMicroKernel) {
        var generator = Xoshiro256(seed: 7)
        for (m, n) in [(1, 1), (17, 7), (100, 61), (300, 257)] {
            let a = Matrix.normal(rows: m, columns: n, using: &generator)
            var right = Matrix(rows: m, columns: n, repeating: .nan)
            var left = right
            Matrix.multiply(a, Matrix.identity(n), into: &right)
            Matrix.multiply(Matrix.identity(m), a, into: &left)
            #expect(right.elements.map(\.bitPattern) == a.elements.map(\.bitPattern))
            #expect(left.elements.map(\.bitPattern) == a.elements.map(\.bitPattern))
        }
    }
}

/// The result does not depend on how many threads computed it.
@Suite("sgemm is deterministic across thread counts")
struct SGEMMDeterminismTests {
    @Test("1, 2, 3 and 8 threads give bitwise-identical C", arguments: allVariants + [nil])
    func bitwiseIdentical(variant: Variant?) {
        let kernel = variant?.kernel ?? .preferred
        let shapes = [(300, 200, 150), (1000, 10, 100), (64, 1000, 300), (513, 257, 600), (37, 4100, 70)]
        for (transA, transB) in allTransposes {
            for (m, n, k) in shapes {
                var results: [[UInt32]] = []
                for threads in [1, 2, 3, 8] {
                    let t = GEMMCase(
                        transA: transA, transB: transB, m: m, n: n, k: k, beta: 0.5, threads: threads, kernel: kernel, path: variant?.path, isa: variant?.isa)
                    let run = runGEMM(t, seed: 42)
                    results.append(run.result.data.map(\.bitPattern))
                    if threads == 8 { expectWithinBound(t, run) }
                }
                #expect(results.allSatisfy { $0 == results[0] }, "\(transA) \(transB) \(m)×\(n)×\(k) \(variant?.testDescription ?? "auto")")
            }
        }
    }

    @Test("the global thread count is used and can be restored")
    func globalThreadCount() {
        let original = Threading.threadCount
        defer { Threading.threadCount = 0 }
        Threading.threadCount = 3
        #expect(Threading.threadCount == 3)
        Threading.threadCount = 0
        #expect(Threading.threadCount == Threading.processorCount)
        #expect(original >= 1)
    }
}
