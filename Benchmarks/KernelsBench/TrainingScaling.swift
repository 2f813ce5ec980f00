import Kernels
import MLP

/// How much a second thread speeds up a training step, measured in paired
/// rounds so the machine's own state is known for each ratio.
///
/// On these VMs the second vCPU is sometimes a second core and sometimes
/// the sibling of the first on one core (the 2-thread FMA peak moves between
/// 1.0× and 2.0× the 1-thread one within minutes), so a step's 2-thread
/// ratio means little on its own. Each round measures, within about half a
/// second: the FMA peak on 1 thread, the step on 1 thread, the step on N
/// threads, the FMA peak on N threads. Rounds whose peak ratio is at least
/// `twoCoreThreshold` ran on as many cores as threads; their median step
/// ratio is the code's scaling, the median over all rounds the machine's.
struct TrainingScaling {
    /// The share of a core each thread beyond the first must add to the FMA
    /// peak for a round to count as one on whole cores (two real cores
    /// measured 1.81–2.06×, two siblings of one core 1.0–1.3×).
    static let coreShare = 0.8

    let options: Options

    /// One line per model: the step ratios and peak ratios of every round,
    /// their medians, and the median over the rounds on whole cores.
    func run() throws {
        let threads = options.threads
        guard threads > 1 else { return }
        let rounds = options.quick ? 4 : 8
        let threshold = 1 + Self.coreShare * Double(threads - 1)
        if !options.json {
            print(
                "\n\(threads)-thread scaling in \(rounds) paired rounds: step time on 1 thread / on \(threads), beside the FMA peak's \(threads) / 1"
            )
            print(
                Report.pad("model", 16) + Report.pad("step ratios", 40) + Report.pad("median", 8)
                    + Report.pad("peak ratios", 40) + "median where peak ≥ \(Report.fixed(threshold, 2))×")
        }
        for model in TrainingSuite.models {
            let one = try SteppingTrainer(model, threads: 1), many = try SteppingTrainer(model, threads: threads)
            var stepRatios: [Double] = [], peakRatios: [Double] = []
            for _ in 0..<rounds {
                let peak1 = peak(threads: 1)
                let seconds1 = one.secondsPerStep(), secondsN = many.secondsPerStep()
                let peakN = peak(threads: threads)
                stepRatios.append(seconds1 / secondsN)
                peakRatios.append(peakN / peak1)
            }
            let onCores = zip(stepRatios, peakRatios).filter { $0.1 >= threshold }.map(\.0)
            report(model: model.name, stepRatios: stepRatios, peakRatios: peakRatios, onCores: onCores, threshold: threshold)
        }
    }

    private func report(model: String, stepRatios: [Double], peakRatios: [Double], onCores: [Double], threshold: Double) {
        let whole = onCores.isEmpty ? nil : Self.median(onCores)
        if options.json {
            let list = { (values: [Double]) in "[" + values.map { format3($0) }.joined(separator: ",") + "]" }
            print(
                """
                {"suite":"training-scaling","model":"\(model)","threads":\(options.threads),"step_ratios":\(list(stepRatios)),\
                "peak_ratios":\(list(peakRatios)),"median_ratio":\(format3(Self.median(stepRatios))),\
                "peak_threshold":\(format3(threshold)),"rounds_on_cores":\(onCores.count),\
                "median_ratio_on_cores":\(whole.map { format3($0) } ?? "null")}
                """)
        } else {
            let text = { (values: [Double]) in values.map { Report.fixed($0, 2) }.joined(separator: " ") }
            print(
                Report.pad(model, 16) + Report.pad(text(stepRatios), 40) + Report.pad(Report.fixed(Self.median(stepRatios), 2), 8)
                    + Report.pad(text(peakRatios), 40)
                    + (whole.map { "\(Report.fixed($0, 2)) (\(onCores.count) rounds)" } ?? "no such round"))
        }
    }

    private func peak(threads: Int) -> Double {
        GEMMMicroKernel.preferred == .simd16 ? PeakProbe.simd16(threads: threads, quick: true) : PeakProbe.simd8(threads: threads, quick: true)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// A trainer of one suite model on one batch, stepped in a parallel region
/// as `fit` steps it.
struct SteppingTrainer {
    let trainer: Trainer
    let x: Matrix, targets: Matrix
    let threads: Int

    init(_ model: TrainingSuite.Model, threads: Int) throws {
        var generator = Xoshiro256(seed: 1)
        x = Matrix.normal(rows: model.batch, columns: model.inputs, using: &generator)
        if model.loss == .softmaxCrossEntropy {
            targets = try Dataset(inputs: x, labels: (0..<model.batch).map { $0 % 10 }, classes: 10).targets
        } else {
            targets = Matrix.normal(rows: model.batch, columns: 10, using: &generator)
        }
        trainer = try Trainer(
            network: Network(inputs: model.inputs, layers: model.layers, seed: 2), loss: model.loss, optimizer: model.optimizer)
        trainer.threads = threads
        self.threads = threads
        try trainer.step(inputs: x, targets: targets)  // the first step sizes the buffers
    }

    /// One step, in the caller's parallel region.
    func step() throws { try trainer.step(inputs: x, targets: targets) }

    /// The best of three samples of about 50 ms, in one region of `threads`.
    func secondsPerStep() -> Double {
        Threading.withParallelRegion(threads: threads) {
            Stopwatch.bestSecondsPerCall(samples: 3, sampleSeconds: 0.05) { _ = try? step() }
        }
    }
}
