import Kernels

/// One GEMM to measure: C (m × n) ← op(A) (m × k) · op(B) (k × n).
struct GEMMShape {
    var label: String
    var transA = Transpose.noTranspose
    var transB = Transpose.noTranspose
    var m: Int
    var n: Int
    var k: Int

    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// The GEMMs one training step issues for a network of the given widths,
    /// in the library's orientation (samples are rows; W is (in × out)):
    /// forward Z = X·W (NN), weight gradient dW = Xᵀ·δ (TN) and input
    /// gradient dX = δ·Wᵀ (NT, not needed for the first layer).
    static func trainingStep(network: String, batch: Int, widths: [Int]) -> [GEMMShape] {
        var shapes: [GEMMShape] = []
        for layer in 0..<(widths.count - 1) {
            let input = widths[layer], output = widths[layer + 1]
            let name = "\(network) L\(layer + 1) \(input)→\(output)"
            shapes.append(GEMMShape(label: "\(name) fwd", m: batch, n: output, k: input))
            shapes.append(GEMMShape(label: "\(name) dW", transA: .transpose, m: input, n: output, k: batch))
            if layer > 0 {
                shapes.append(GEMMShape(label: "\(name) dX", transB: .transpose, m: batch, n: input, k: output))
            }
        }
        return shapes
    }
}

/// One measured row of the gemm suite.
struct GEMMMeasurement {
    var shape: GEMMShape
    var threads: Int
    var kernel: String
    var gflops: Double
    var peak8: Double
    var peak16: Double
    var blasName: String?
    var blasGflops: Double?

    var json: String {
        func number(_ x: Double?) -> String { x.map { String(format3($0)) } ?? "null" }
        let blas = blasName.map { "\"\($0)\"" } ?? "null"
        return """
            {"suite":"gemm","label":"\(shape.label)","kernel":"\(kernel)","m":\(shape.m),"n":\(shape.n),"k":\(shape.k),\
            "transA":"\(shape.transA.blasCharacter)","transB":"\(shape.transB.blasCharacter)","threads":\(threads),\
            "gflops":\(number(gflops)),"peak8":\(number(peak8)),"peak16":\(number(peak16)),\
            "blas":\(blas),"blas_gflops":\(number(blasGflops))}
            """
    }
}

/// Formats with three decimals, without Foundation.
func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded()
    let whole = Int(scaled / 1000), fraction = Int(abs(scaled).truncatingRemainder(dividingBy: 1000))
    let sign = scaled < 0 && whole == 0 ? "-" : ""
    return "\(sign)\(whole).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction)"
}

/// The gemm suite: peaks, then every shape with our kernels, the system BLAS
/// and (small squares) the naive reference, each at 1 thread and all threads.
struct GEMMSuite {
    let options: Options
    let blas = SystemBLAS.load()

    var squareSizes: [Int] { options.quick ? [64, 128, 256, 512, 1024] : [64, 128, 256, 512, 1024, 2048, 4096] }

    var shapes: [GEMMShape] {
        squareSizes.map { GEMMShape(label: "square \($0)", m: $0, n: $0, k: $0) }
            + GEMMShape.trainingStep(network: "A", batch: 64, widths: [1000, 100, 10])
            + GEMMShape.trainingStep(network: "B", batch: 128, widths: [784, 256, 128, 10])
            + [1, 2, 4, 8].map { GEMMShape(label: "B L1 predict \($0)", m: $0, n: 256, k: 784) }
    }

    func run() -> [GEMMMeasurement] {
        var report = Report(json: options.json)
        let threadCounts = options.threads == 1 ? [1] : [1, options.threads]
        let peaks = threadCounts.map { threads in
            (
                threads: threads,
                peak8: PeakProbe.simd8(threads: threads, quick: options.quick),
                peak16: PeakProbe.simd16(threads: threads, quick: options.quick)
            )
        }
        report.header(build: BuildConfiguration.summary, blas: blas?.name, peaks: peaks)
        var results: [GEMMMeasurement] = []
        for shape in shapes {
            var operands = Operands(shape)
            for peak in peaks {
                let blasGflops = measureBLAS(shape, threads: peak.threads, operands: &operands)
                // "simd16" is the automatic path; "-packed"/"-direct" force one
                // (up to 1024, where the automatic choice is made), "-rows" the
                // row path for products of up to 16 rows (it uses no micro-kernel).
                let forcePaths = max(shape.m, shape.n, shape.k) <= 1024
                var kernels = GEMMMicroKernel.allCases.filter(\.isAvailable).flatMap { kernel in
                    forcePaths ? ["\(kernel)", "\(kernel)-packed", "\(kernel)-direct"] : ["\(kernel)"]
                }
                if shape.m <= 16 { kernels.append("\(GEMMMicroKernel.preferred)-rows") }
                if peak.threads == 1 && shape.label.hasPrefix("square") && shape.m <= 256 { kernels.append("naive") }
                for kernel in kernels {
                    let seconds = measure(shape, kernel: kernel, threads: peak.threads, operands: &operands)
                    let row = GEMMMeasurement(
                        shape: shape, threads: peak.threads, kernel: kernel, gflops: shape.flops / seconds * 1e-9,
                        peak8: peak.peak8, peak16: peak.peak16, blasName: blas?.name,
                        blasGflops: kernel == "naive" ? nil : blasGflops)
                    report.row(row)
                    results.append(row)
                }
            }
        }
        report.footer(packingBytes: gemmPackingMemory)
        return results
    }

    /// Samples of 20 ms (10 ms with `--quick`), about as long as the peak
    /// probe's, as many as fit in half a second (0.1 s), 5…25 (3…10) of them:
    /// a 1024³ product on one thread is one call per sample and 25 samples, a
    /// 4096³ product (about a second) five single calls.
    private var sampling: Sampling {
        options.quick
            ? Sampling(seconds: 0.01, count: 3...10, budget: 0.1)
            : Sampling(seconds: 0.02, count: 5...25, budget: 0.5)
    }

    private func measure(_ shape: GEMMShape, kernel: String, threads: Int, operands: inout Operands) -> Double {
        if kernel == "naive" {
            return operands.secondsPerCall(shape, sampling: .fixed(1, seconds: sampling.seconds)) { a, lda, b, ldb, c in
                referenceSGEMM(
                    transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                    a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: shape.m)
            }
        }
        let parts = kernel.split(separator: "-")
        let microKernel = GEMMMicroKernel.allCases.first { "\($0)" == parts[0] }!
        let path = parts.count > 1 ? GEMMPath.allCases.first { "\($0)" == parts[1] } : nil
        return operands.secondsPerCall(
            shape, options: GEMMOptions(threads: threads, microKernel: microKernel, path: path), sampling: sampling)
    }

    private func measureBLAS(_ shape: GEMMShape, threads: Int, operands: inout Operands) -> Double? {
        guard let blas, threads == 1 || blas.canSetThreads else { return nil }
        blas.setThreads(threads)
        let seconds = operands.secondsPerCall(shape, sampling: sampling) { a, lda, b, ldb, c in
            blas.sgemm(
                transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: shape.m)
        }
        return shape.flops / seconds * 1e-9
    }
}

/// Random operands for one shape, reused by every measurement of it.
struct Operands {
    var a: [Float]
    var b: [Float]
    var c: [Float]
    let lda: Int
    let ldb: Int

    init(_ shape: GEMMShape) {
        var generator = Xoshiro256(seed: 1)
        lda = shape.transA == .noTranspose ? shape.m : shape.k
        ldb = shape.transB == .noTranspose ? shape.k : shape.n
        a = Matrix.uniform(rows: shape.m * shape.k, columns: 1, in: -1...1, using: &generator).elements
        b = Matrix.uniform(rows: shape.k * shape.n, columns: 1, in: -1...1, using: &generator).elements
        c = [Float](repeating: 0, count: shape.m * shape.n)
    }
}

extension Operands {
    /// The best seconds per call of `body(a, lda, b, ldb, c)` on these operands.
    mutating func secondsPerCall(
        _ shape: GEMMShape, sampling: Sampling,
        _ body: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void
    ) -> Double {
        let lda = self.lda, ldb = self.ldb
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    Stopwatch.bestSecondsPerCall(sampling) {
                        body(a.baseAddress!, lda, b.baseAddress!, ldb, c.baseAddress!)
                    }
                }
            }
        }
    }

    /// The best seconds per call of our `sgemm` with `options` on these operands.
    mutating func secondsPerCall(
        _ shape: GEMMShape, options: GEMMOptions, sampling: Sampling
    ) -> Double {
        secondsPerCall(shape, sampling: sampling) { a, lda, b, ldb, c in
            sgemm(
                transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: shape.m, options: options)
        }
    }
}
