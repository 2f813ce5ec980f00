import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The command line: `kernels-bench <suite> [--quick] [--json] [--threads N] [--svg FILE]`.
struct Options {
    var suite = ""
    var quick = false
    var json = false
    /// The "all threads" count; 1-thread rows are always measured too.
    var threads = Threading.processorCount
    var svgPath: String?
    var filePath: String?

    static let usage = """
        usage: kernels-bench <suite> [--quick] [--json] [--threads N] [--svg FILE] [--file FILE]

        suites:
          gemm        FMA peaks, square and training-step GEMMs, system BLAS, naive reference;
                      kernel "simd16" = automatic path, "simd16-packed"/"-direct" = forced
          gemm-sweep  GFLOP/s over a grid of block sizes (MC, KC), 1 thread
          activations elementwise kernels against copy bandwidth and scalar libm;
                      fused layer forward/backward against the plain GEMM
          csv         reading --file FILE with MLPData's CSV reader, best of 3
                      (Benchmarks/compare_loading.py adds numpy.loadtxt on the same file)
          pca         covariance, full and top-10 eigendecomposition and PCA fit of the
                      10 000 × 784 matrix of Docs/PCA.md (Benchmarks/compare_pca.py runs
                      numpy and scikit-learn on the same matrices)
          stress      8192³ GEMM checked against Double, extreme aspect ratios, concurrent and
                      nested callers, 1 000 epochs without heap growth; exits 1 on a failed
                      check (--quick: 2048³ instead of 8192³)
          training    one training step of the lecture network and of 784-256-128-10,
                      with heap allocations per step; the 2-thread speed-up in
                      paired rounds beside the FMA peak's; predict latency
                      (Benchmarks/compare_training.py runs numpy and PyTorch
                      on the same networks)

        options:
          --quick       a shorter run (square sizes up to 1024), under a minute
          --json        one JSON object per measurement on stdout instead of a table
          --threads N   the multi-threaded measurements use N threads (default: \(Threading.processorCount))
          --svg FILE    also write a chart of GFLOP/s against n (gemm suite)
          --file FILE   the file to read (csv suite)
        """

    /// Parses `arguments` (without the program name); on a bad argument prints
    /// what is wrong and the usage, and exits with status 2.
    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--json": json = true
            case "--threads":
                guard let value = rest.popFirst().flatMap(Int.init), value >= 1 else {
                    Self.fail("--threads needs a whole number ≥ 1")
                }
                threads = value
            case "--file":
                guard let value = rest.popFirst() else { Self.fail("--file needs a file name") }
                filePath = value
            case "--svg":
                guard let value = rest.popFirst() else { Self.fail("--svg needs a file name") }
                svgPath = value
            case "-h", "--help", "help":
                print(Self.usage)
                exit(0)
            default:
                if argument.hasPrefix("-") || !suite.isEmpty { Self.fail("unexpected argument '\(argument)'") }
                suite = argument
            }
        }
        if suite.isEmpty { Self.fail("no suite given") }
    }

    static func fail(_ message: String) -> Never {
        var stderr = StandardError()
        print("kernels-bench: \(message)\n\n\(usage)", to: &stderr)
        exit(2)
    }
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        let bytes = Array(string.utf8)
        #if canImport(Glibc)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        #else
            _ = bytes.withUnsafeBytes { Darwin.write(2, $0.baseAddress, $0.count) }
        #endif
    }
}
