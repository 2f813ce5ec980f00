import Kernels
import MLP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// PCA's steps on the benchmark matrix of Docs/PCA.md: the covariance
/// (against a full GEMM of the same shape), the full and top-k symmetric
/// eigendecomposition, and the whole fit (the automatic route, then the
/// exact covariance route). Benchmarks/compare_pca.py runs numpy
/// and scikit-learn on the same matrices. Flops of the covariance are counted
/// as for the full product, 2·N·D².
struct PCASuite {
    let options: Options

    func run() {
        let (n, d) = options.quick ? (2_000, 256) : (10_000, 784)
        let components = 10
        let x = Self.benchmarkMatrix(rows: n, columns: d)
        let centred = Self.centred(x)
        var covariance = Matrix(rows: d, columns: d)
        for threads in [1, options.threads].uniqued() {
            let sampling = Sampling(seconds: 0.2, count: 3...3)
            let symmetric = Stopwatch.bestSecondsPerCall(sampling) {
                covariance = Matrix.symmetricProduct(centred, alpha: 1 / Float(n), threads: threads)
            }
            var full = Matrix(rows: d, columns: d)
            let gemm = Stopwatch.bestSecondsPerCall(sampling) {
                Matrix.multiply(centred.transposed(), centred, into: &full, alpha: 1 / Float(n), threads: threads)
            }
            let flops = 2 * Double(n) * Double(d) * Double(d)
            report(
                "covariance", n: n, d: d, components: nil, threads: threads, seconds: symmetric,
                extra: [
                    ("gflops", flops / symmetric * 1e-9), ("gemm_gflops", flops / gemm * 1e-9),
                ])
            for size in options.quick ? [256] : [256, d] {
                let s =
                    size == d
                    ? covariance
                    : Matrix.symmetricProduct(Matrix(rows: n, columns: size, columnMajor: Array(centred.elements.prefix(n * size))), alpha: 1 / Float(n))
                let eigh = Stopwatch.bestSecondsPerCall(sampling) { _ = try! SymmetricEigendecomposition(s, threads: threads) }
                report("eigh", n: size, d: size, components: nil, threads: threads, seconds: eigh)
                let top = Stopwatch.bestSecondsPerCall(sampling) { _ = try! SymmetricEigendecomposition(s, count: components, threads: threads) }
                report("eigh-topk", n: size, d: size, components: components, threads: threads, seconds: top)
            }
            var fitted: PCA?
            let fit = Stopwatch.bestSecondsPerCall(sampling) { fitted = try! PCA(fitting: x, components: components, threads: threads) }
            report("fit", n: n, d: d, components: components, threads: threads, seconds: fit, route: fitted!.route, ratios: fitted!.explainedVarianceRatio)
            let exact = Stopwatch.bestSecondsPerCall(sampling) { fitted = try! PCA(fitting: x, components: components, route: .covariance, threads: threads) }
            report("fit", n: n, d: d, components: components, threads: threads, seconds: exact, route: fitted!.route, ratios: fitted!.explainedVarianceRatio)
        }
    }

    private func report(
        _ task: String, n: Int, d: Int, components: Int?, threads: Int, seconds: Double, extra: [(String, Double)] = [], route: PCA.Route? = nil,
        ratios: [Float]? = nil
    ) {
        let ms = seconds * 1e3
        if options.json {
            var fields =
                "\"suite\":\"pca\",\"task\":\"\(task)\",\"n\":\(n),\"d\":\(d),\"components\":\(components.map(String.init) ?? "null"),\"threads\":\(threads),\"ms\":\(ms)"
            for (key, value) in extra { fields += ",\"\(key)\":\(value)" }
            if let route { fields += ",\"route\":\"\(route.rawValue)\"" }
            if let ratios { fields += ",\"explained_variance_ratio\":[\(ratios.map { "\($0)" }.joined(separator: ","))]" }
            print("{\(fields)}")
        } else {
            let shape = task == "eigh" || task == "eigh-topk" ? "\(n) × \(n)" : "\(n) × \(d)"
            var line =
                "\(Report.pad(task, 11)) \(Report.pad(shape, 13)) k=\(Report.pad(components.map(String.init) ?? "all", 4)) \(threads) thread\(threads == 1 ? " " : "s") \(Report.fixed(ms, 1)) ms"
            for (key, value) in extra { line += "  \(key) \(Report.fixed(value, 1))" }
            if let route { line += "  route \(route.rawValue)" }
            print(line)
        }
    }

    /// The benchmark matrix (N × D) of Docs/PCA.md, the same numbers
    /// Benchmarks/compare_pca.py makes (to Float rounding): a rank-50 signal
    /// G₁·diag(1/i)·G₂ᵀ/√D plus 0.01·G₃, every G standard normal from
    /// ``gaussian(stream:index:)``.
    static func benchmarkMatrix(rows n: Int, columns d: Int, rank: Int = 50) -> Matrix {
        let left = Matrix(
            rows: n, columns: rank,
            columnMajor: (0..<(n * rank)).map { index in
                Float(gaussian(stream: 1, index: UInt64(index)) / Double(index / n + 1))
            })
        let right = Matrix(rows: d, columns: rank, columnMajor: (0..<(d * rank)).map { Float(gaussian(stream: 2, index: UInt64($0))) })
        var x = Matrix(rows: n, columns: d, columnMajor: (0..<(n * d)).map { Float(0.01 * gaussian(stream: 3, index: UInt64($0))) })
        Matrix.multiply(left, right.transposed(), into: &x, alpha: 1 / Float(d).squareRoot(), beta: 1)
        return x
    }

    /// A standard normal number by Box–Muller from two splitmix64 hashes of
    /// (stream, index): counter-based, so numpy computes the same array.
    static func gaussian(stream: UInt64, index: UInt64) -> Double {
        let counter = stream << 40 &+ 2 &* index
        let u1 = Double((splitmix64(counter) >> 11) + 1) * 0x1p-53
        let u2 = Double(splitmix64(counter &+ 1) >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    static func splitmix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func centred(_ x: Matrix) -> Matrix {
        var result = x
        for j in 0..<x.columns {
            let mean = Float((0..<x.rows).reduce(0.0) { $0 + Double(x[$1, j]) } / Double(x.rows))
            for i in 0..<x.rows { result[i, j] -= mean }
        }
        return result
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, in first-seen order.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
