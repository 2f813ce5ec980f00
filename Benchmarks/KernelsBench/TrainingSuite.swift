import Kernels
import MLP
import MallocCounter

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The training suite: one training step (forward, backward, update) of the
/// "lecture" network (64 samples, 1000 → 100 → 10, ReLU, no bias, sum of
/// squares, gradient descent) and of network B (784 → 256 → 128 → 10, ReLU,
/// softmax cross-entropy, Adam, batch 128), with heap allocations counted per
/// step after the first. Steps run the way `fit` runs them: many in one
/// parallel region (`Threading.withParallelRegion`). `gflops` is 2·m·n·k
/// summed over the step's GEMMs, divided by the step's time; `peak_gflops`
/// the in-run FMA peak of the kernel width the GEMMs use, on as many
/// threads. Benchmarks/compare_training.py runs the same networks in numpy
/// and PyTorch.
struct TrainingSuite {
    let options: Options
    private var stderr = StandardError()

    init(options: Options) { self.options = options }

    struct Model {
        var name: String
        var batch: Int
        var inputs: Int
        var layers: [LayerSpec]
        var loss: Loss
        var optimizer: Optimizer

        /// 2·m·n·k summed over a step's GEMMs: per layer the forward product
        /// and dW, and dX for every layer but the first (these models have no
        /// maxout layer, so a layer's columns are its outputs).
        var flopsPerStep: Int {
            var fanIn = inputs, flops = 0
            for (l, layer) in layers.enumerated() {
                flops += 2 * batch * fanIn * layer.outputs * (l == 0 ? 2 : 3)
                fanIn = layer.outputs
            }
            return flops
        }
    }

    static let models = [
        Model(
            name: "lecture", batch: 64, inputs: 1000,
            layers: [
                LayerSpec(100, .activation(.relu), hasBias: false, initialization: .normal(standardDeviation: 1)),
                LayerSpec(10, .linear, hasBias: false, initialization: .normal(standardDeviation: 1)),
            ],
            loss: .sumOfSquares, optimizer: .sgd(learningRate: 1e-6)),
        Model(
            name: "784-256-128-10", batch: 128, inputs: 784,
            layers: [LayerSpec(256), LayerSpec(128), LayerSpec(10, .softmax)],
            loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 1e-3)),
    ]

    mutating func run() throws {
        print("training suite — build: \(BuildConfiguration.summary); heap counter: \(malloc_counter_is_supported() == 1 ? "on" : "n/a")", to: &stderr)
        if !options.json {
            print(
                Report.pad("model", 16) + Report.pad("batch", 7) + Report.pad("thr", 5) + Report.pad("ms/step", 10)
                    + Report.pad("samples/s", 12) + Report.pad("GFLOP/s", 9) + Report.pad("peak", 8) + "allocs/step")
        }
        let wide = GEMMMicroKernel.preferred == .simd16
        for threads in options.threads == 1 ? [1] : [1, options.threads] {
            let peak = wide ? PeakProbe.simd16(threads: threads, quick: options.quick) : PeakProbe.simd8(threads: threads, quick: options.quick)
            for model in Self.models {
                let (seconds, allocations) = try measure(model, threads: threads)
                let samples = Double(model.batch) / seconds
                let gflops = Double(model.flopsPerStep) / seconds * 1e-9
                let allocs = allocations.map { format3($0) } ?? "null"
                if options.json {
                    print(
                        """
                        {"suite":"training","model":"\(model.name)","batch":\(model.batch),"threads":\(threads),\
                        "samples_per_s":\(format3(samples)),"ms_per_step":\(format3(seconds * 1e3)),"allocs_per_step":\(allocs),\
                        "gflops":\(format3(gflops)),"peak_gflops":\(format3(peak))}
                        """)
                } else {
                    print(
                        Report.pad(model.name, 16) + Report.pad("\(model.batch)", 7) + Report.pad("\(threads)", 5)
                            + Report.pad(Report.fixed(seconds * 1e3, 3), 10) + Report.pad(Report.fixed(samples, 0), 12)
                            + Report.pad(Report.fixed(gflops, 1), 9) + Report.pad(Report.fixed(peak, 1), 8) + allocs)
                }
            }
        }
        try TrainingScaling(options: options).run()
        try inference()
        try idleCPU()
    }

    /// Network B's predictions through a caller-owned workspace: one sample
    /// (the latency an embedding application sees) and a batch of 128, with
    /// heap allocations per call after the first.
    private mutating func inference() throws {
        let model = Self.models[1]
        let network = try Network(inputs: model.inputs, layers: model.layers, seed: 2)
        var generator = Xoshiro256(seed: 3)
        if !options.json { print("\n" + Report.pad("predict", 16) + Report.pad("batch", 7) + Report.pad("thr", 5) + Report.pad("µs/call", 10) + "allocs/call") }
        for threads in options.threads == 1 ? [1] : [1, options.threads] {
            for batch in [1, 128] {
                let x = Matrix.normal(rows: batch, columns: model.inputs, using: &generator)
                let workspace = PredictionWorkspace()
                var output = Matrix(rows: 0, columns: 0)
                try network.predict(x, into: &output, using: workspace, threads: threads)
                let counted = 100
                malloc_counter_start()
                for _ in 0..<counted { try network.predict(x, into: &output, using: workspace, threads: threads) }
                let allocations = malloc_counter_stop()
                let seconds = Stopwatch.bestSecondsPerCall(samples: options.quick ? 3 : 7, sampleSeconds: options.quick ? 0.05 : 0.2) {
                    try! network.predict(x, into: &output, using: workspace, threads: threads)
                }
                let allocs = allocations < 0 ? "null" : format3(Double(allocations) / Double(counted))
                if options.json {
                    print(
                        """
                        {"suite":"inference","model":"\(model.name)","batch":\(batch),"threads":\(threads),\
                        "us_per_call":\(format3(seconds * 1e6)),"allocs_per_call":\(allocs)}
                        """)
                } else {
                    print(
                        Report.pad(model.name, 16) + Report.pad("\(batch)", 7) + Report.pad("\(threads)", 5)
                            + Report.pad(Report.fixed(seconds * 1e6, 1), 10) + allocs)
                }
            }
        }
    }

    /// The process's CPU time over a 1 s sleep right after `fit` and after a
    /// batched `predict` on all threads returned: no thread of the library
    /// may go on running (Docs/Architecture.md, "Threading").
    private func idleCPU() throws {
        let model = Self.models[1]
        var generator = Xoshiro256(seed: 4)
        let x = Matrix.normal(rows: 1024, columns: model.inputs, using: &generator)
        let data = try Dataset(inputs: x, labels: (0..<1024).map { $0 % 10 }, classes: 10)
        let trainer = try Trainer(network: Network(inputs: model.inputs, layers: model.layers, seed: 2), loss: model.loss, optimizer: model.optimizer)
        trainer.threads = options.threads
        try trainer.fit(data, options: TrainingOptions(epochs: options.quick ? 1 : 3, batchSize: model.batch))
        let afterFit = Self.cpuSecondsOverOneSecond()
        _ = try trainer.network.predict(x, threads: options.threads)
        let afterPredict = Self.cpuSecondsOverOneSecond()
        if options.json {
            print(
                #"{"suite":"idle-cpu","threads":\#(options.threads),"after_fit_ms":\#(format3(afterFit * 1e3)),"after_predict_ms":\#(format3(afterPredict * 1e3))}"#
            )
        } else {
            print(
                "\nCPU time over a 1 s sleep after fit returned: \(Report.fixed(afterFit * 1e3, 2)) ms, after predict: \(Report.fixed(afterPredict * 1e3, 2)) ms"
            )
        }
    }

    private static func cpuSecondsOverOneSecond() -> Double {
        let before = ProcessUsage.cpuSeconds
        usleep(1_000_000)
        return ProcessUsage.cpuSeconds - before
    }

    /// Best seconds per step, and heap allocations per step after the first.
    private func measure(_ model: Model, threads: Int) throws -> (Double, Double?) {
        let stepping = try SteppingTrainer(model, threads: threads)
        // Like fit: every step of a measurement inside one parallel region.
        return try Threading.withParallelRegion(threads: threads) {
            let counted = options.quick ? 20 : 100
            var failure: Error?
            malloc_counter_start()
            for _ in 0..<counted where failure == nil {
                do { try stepping.step() } catch { failure = error }
            }
            let allocations = malloc_counter_stop()
            if let failure { throw failure }

            let seconds = Stopwatch.bestSecondsPerCall(samples: options.quick ? 3 : 7, sampleSeconds: options.quick ? 0.1 : 0.3) {
                _ = try? stepping.step()
            }
            return (seconds, allocations < 0 ? nil : Double(allocations) / Double(counted))
        }
    }
}
