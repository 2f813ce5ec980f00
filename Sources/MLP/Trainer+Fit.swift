import Dispatch
import Kernels

extension Trainer {
    /// Trains on `data` for up to `options.epochs` epochs (warm start: from the
    /// current weights and optimizer state).
    ///
    /// The whole call is one parallel region (`Threading.withParallelRegion`):
    /// its threads go through every step's kernels together and leave when
    /// `fit` returns. `progress` runs on the region's leading thread, between
    /// steps, while the other threads wait.
    ///
    /// - Parameters:
    ///   - data: the training samples (and, with `options.validationSplit`,
    ///     the validation samples split off them).
    ///   - options: epochs, batch size, validation, early stopping, schedule.
    ///   - progress: called after every step and at every epoch end
    ///     (`isEpochEnd`); return `.stop` to end training.
    /// - Throws: ``TrainingError`` for mismatched shapes, non-finite data, or
    ///   divergence (per `options.divergence`).
    @discardableResult
    public func fit(
        _ data: Dataset, options: TrainingOptions, progress: ((TrainingProgress) -> TrainingAction)? = nil
    ) throws -> TrainingHistory {
        if let problem = data.firstNonFiniteValue() { throw TrainingError.nonFiniteData(problem) }
        try checkShapes(inputs: data.inputs, targets: data.targets)
        guard options.epochs >= 0 else { throw TrainingError.invalidHyperparameter("epochs = \(options.epochs) must be ≥ 0 (0 trains nothing)") }
        guard options.batchSize >= 1 else { throw TrainingError.invalidHyperparameter("batch size = \(options.batchSize) must be ≥ 1") }
        guard options.validationSplit >= 0, options.validationSplit < 1 else {
            throw TrainingError.invalidHyperparameter("validation split = \(options.validationSplit) must be in [0, 1)")
        }
        var training = data, validation = options.validation
        if validation == nil && options.validationSplit > 0 {
            (training, validation) = try data.split(validationFraction: options.validationSplit, seed: generator.next())
        }
        guard training.count > 0 else { throw TrainingError.shapeMismatch("no training samples") }
        if let validation,
            let problem = training.validationProblem(
                validation, classification: !network.isRegression, fraction: options.validation == nil ? options.validationSplit : nil)
        {
            throw TrainingError.unusableValidation(problem)
        }
        return try Threading.withParallelRegion(threads: threadCount) { () throws(TrainingError) -> TrainingHistory in
            var loop = FitLoop(trainer: self, training: training, validation: validation, options: options, progress: progress)
            return try loop.run()
        }
    }
}

/// One call of ``Trainer/fit(_:options:progress:)``: the epoch loop and the
/// state it keeps between epochs.
struct FitLoop {
    let trainer: Trainer
    let training: Dataset, validation: Dataset?
    let options: TrainingOptions
    let progress: ((TrainingProgress) -> TrainingAction)?
    let batchSize: Int, steps: Int
    /// Whether the network is a regression model (no accuracy is reported).
    let regression: Bool
    var order: [Int]
    var history = TrainingHistory()
    var divergence: DivergenceGuard
    var earlyStopping: EarlyStopping?
    var plateau: PlateauTracker?

    /// How an epoch ended.
    enum EpochEnd {
        /// Every step ran; the last update's ‖Δw‖ and gradient norm.
        case finished(EpochRecord, weightChange: Double, gradientNorm: Double)
        /// A step diverged and the weights were rolled back: run the epoch again.
        case rolledBack
        /// The progress callback asked to stop.
        case stopped
    }

    init(trainer: Trainer, training: Dataset, validation: Dataset?, options: TrainingOptions, progress: ((TrainingProgress) -> TrainingAction)?) {
        self.trainer = trainer
        self.training = training
        self.validation = validation
        self.options = options
        self.progress = progress
        regression = trainer.network.isRegression
        batchSize = min(options.batchSize, training.count)
        steps = (training.count + batchSize - 1) / batchSize
        order = Array(0..<training.count)
        divergence = DivergenceGuard(policy: options.divergence, trainer: trainer)
        earlyStopping = options.earlyStoppingPatience.map { EarlyStopping(patience: $0, store: trainer.store) }
        plateau = PlateauTracker(options.schedule)
    }

    /// The epoch loop.
    mutating func run() throws(TrainingError) -> TrainingHistory {
        var epoch = 0
        while epoch < options.epochs {
            divergence.epochStarts(after: history.epochs.last, trainer: trainer)
            switch try runEpoch(epoch) {
            case .rolledBack:
                continue
            case .stopped:
                history.stopReason = .callback
                return history
            case .finished(let record, let weightChange, let gradientNorm):
                history.epochs.append(record)
                epoch += 1
                if let reason = stopReason(after: record, weightChange: weightChange, gradientNorm: gradientNorm) {
                    history.stopReason = reason
                    return history
                }
            }
        }
        return history
    }

    /// The steps of one epoch, over a fresh shuffle.
    mutating func runEpoch(_ epoch: Int) throws(TrainingError) -> EpochEnd {
        let rate = options.schedule.rate(base: trainer.optimizer.learningRate, epoch: epoch, plateauScale: 1) * trainer.learningRateScale
        // Each epoch's order depends only on the generator, so that warm
        // starts continue exactly where a longer run would be.
        for i in order.indices { order[i] = i }
        if options.shuffle { order.shuffle(using: &trainer.generator) }
        var totals = EpochTotals(loss: trainer.loss)
        var weightChange = Double.infinity, gradientNorm = Double.infinity
        for s in 0..<steps {
            let start = DispatchTime.now().uptimeNanoseconds
            let lower = s * batchSize, count = min(batchSize, training.count - lower)
            let outcome = trainer.gradientPass(batch: count, objective: .loss(trainer.loss, trainer.regularization), training: true) { m in
                gather(order[lower..<(lower + count)], into: m)
            }
            guard outcome.loss.isFinite, outcome.gradientSquares.isFinite else {
                if divergence.rollBack(trainer: trainer) { return .rolledBack }
                throw TrainingError.diverged(epoch: epoch, step: s + 1, loss: outcome.loss)
            }
            gradientNorm = outcome.gradientSquares.squareRoot()
            weightChange = trainer.applyUpdate(learningRate: rate)
            totals.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            totals.add(batchLoss: outcome.loss, correct: outcome.correct, samples: count)
            let report = TrainingProgress(
                epoch: epoch, step: s + 1, stepsPerEpoch: steps, epochs: options.epochs, loss: totals.value,
                accuracy: regression ? nil : totals.accuracy, samplesPerSecond: totals.samplesPerSecond, learningRate: rate, isEpochEnd: false)
            if progress?(report) == .stop { return .stopped }
        }
        history.trainingSeconds += totals.seconds
        history.samples += totals.seen
        var record = EpochRecord(
            epoch: epoch, loss: totals.value, accuracy: regression ? nil : totals.accuracy, learningRate: rate, seconds: totals.seconds)
        if let validation {
            let result = trainer.network.checkedEvaluation(validation.inputs, targets: validation.targets, loss: trainer.loss, threads: trainer.threads)
            (record.validationLoss, record.validationAccuracy) = (result.loss, result.accuracy)
        }
        return .finished(record, weightChange: weightChange, gradientNorm: gradientNorm)
    }

    /// Early stopping, the plateau schedule, the epoch-end callback and the
    /// tolerances, in that order; the reason to stop, if any.
    mutating func stopReason(after record: EpochRecord, weightChange: Double, gradientNorm: Double) -> StopReason? {
        let monitored = record.validationLoss ?? record.loss
        if earlyStopping?.shouldStop(epoch: record.epoch, monitored: monitored, trainer: trainer, history: &history) == true {
            return .earlyStopping
        }
        plateau?.update(monitored: monitored, trainer: trainer)
        let report = TrainingProgress(
            epoch: record.epoch, step: steps, stepsPerEpoch: steps, epochs: options.epochs, loss: record.loss,
            accuracy: record.accuracy, samplesPerSecond: Double(training.count) / max(record.seconds, 1e-9),
            learningRate: record.learningRate, isEpochEnd: true, validationLoss: record.validationLoss,
            validationAccuracy: record.validationAccuracy)
        if progress?(report) == .stop { return .callback }
        if let tolerance = options.weightChangeTolerance, weightChange < tolerance { return .weightChangeTolerance }
        if let tolerance = options.gradientTolerance, gradientNorm < tolerance { return .gradientTolerance }
        return nil
    }

    /// Copies the samples at `indices` into the step's batch buffers
    /// (column-major, leading dimension = the batch size).
    func gather(_ indices: ArraySlice<Int>, into m: StepMemory) {
        gather(indices, of: training.inputs, into: m.x)
        gather(indices, of: training.targets, into: m.t)
    }

    /// The rows at `indices` of `matrix`, column by column, to `destination`.
    private func gather(_ indices: ArraySlice<Int>, of matrix: Matrix, into destination: UnsafeMutablePointer<Float>) {
        let count = indices.count
        matrix.withUnsafeBufferPointer { x in
            for j in 0..<matrix.columns {
                let source = x.baseAddress! + j * matrix.rows, column = destination + j * count
                for (r, i) in indices.enumerated() { column[r] = source[i] }
            }
        }
    }
}
