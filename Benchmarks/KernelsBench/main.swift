// kernels-bench: micro-benchmarks that compare the kernels with the machine's
// own limits and with the system BLAS in the same run. See Docs/Performance.md.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let options = Options(Array(CommandLine.arguments.dropFirst()))
switch options.suite {
case "gemm":
    let results = GEMMSuite(options: options).run()
    if let path = options.svgPath {
        do {
            try GEMMChart(results: results).write(to: path)
        } catch {
            var stderr = StandardError()
            print("kernels-bench: cannot write \(path): \(error)", to: &stderr)
            exit(1)
        }
    }
case "activations":
    var suite = ActivationsSuite(options: options)
    suite.run()
case "training":
    var suite = TrainingSuite(options: options)
    do {
        try suite.run()
    } catch {
        var stderr = StandardError()
        print("kernels-bench: training failed: \(error)", to: &stderr)
        exit(1)
    }
case "csv":
    CSVSuite(options: options).run()
case "pca":
    PCASuite(options: options).run()
case "stress":
    var suite = StressSuite(options: options)
    suite.run()
case "gemm-sweep":
    SweepSuite(options: options).run()
default:
    Options.fail("unknown suite '\(options.suite)'")
}
