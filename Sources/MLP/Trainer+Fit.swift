import Dispatch
import Kernels

/// Settings of ``Trainer/fit(_:options:progress:)``.
public struct TrainingOptions: Sendable {
    /// Passes over the training data at most.
    public var epochs: Int
    /// Samples per step; the last step of an epoch takes the remainder.
    /// Use the dataset size for full-batch gradient descent.
    public var batchSize: Int
    /// The fraction of the data held out (seeded shuffle) to validate on.
    public var validationSplit: Double
    /// A separate validation set; overrides `validationSplit`.
    public var validation: Dataset?
    /// Stop when the validation loss has not improved for this many epochs,
    /// and restore the best weights; `nil` never stops early.
    public var earlyStoppingPatience: Int?
    /// Stop when an epoch's last update moved the weights by less than this
    /// (Euclidean norm of Δw over all parameters).
    public var weightChangeTolerance: Double?
    /// Stop when an epoch's last gradient norm ‖∇L‖ is below this.
    public var gradientTolerance: Double?
    /// The learning-rate schedule over epochs.
    public var schedule: LearningRateSchedule
    /// Reshuffle the training samples every epoch (from the trainer's seed).
    public var shuffle: Bool
    /// What to do when the loss or gradient stops being finite.
    public var divergence: DivergencePolicy

    /// Creates options; only `epochs` and `batchSize` have no "off" default.
    public init(
        epochs: Int = 10, batchSize: Int = 32, validationSplit: Double = 0, validation: Dataset? = nil,
        earlyStoppingPatience: Int? = nil, weightChangeTolerance: Double? = nil, gradientTolerance: Double? = nil,
        schedule: LearningRateSchedule = .constant, shuffle: Bool = true, divergence: DivergencePolicy = .stop
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationSplit = validationSplit
        self.validation = validation
        self.earlyStoppingPatience = earlyStoppingPatience
        self.weightChangeTolerance = weightChangeTolerance
        self.gradientTolerance = gradientTolerance
        self.schedule = schedule
        self.shuffle = shuffle
        self.divergence = divergence
    }
}

/// What training does when the loss or a gradient becomes NaN or infinite.
public enum DivergencePolicy: Sendable, Hashable {
    /// Throw ``TrainingError/diverged(epoch:step:loss:)``; the weights stay at
    /// the last good step (the bad update is never applied).
    case stop
    /// Restore the last good weights and optimizer state (from the start of
    /// the latest epoch whose predecessor did not raise the loss above 10× its
    /// lowest), halve the learning rate and go on from there, up to
    /// `attempts` times, then stop.
    case rollBackAndHalveLearningRate(attempts: Int = 5)
}

/// What the progress callback sees, after every step and at every epoch end.
public struct TrainingProgress: Sendable {
    /// The epoch (0-based) and the step within it (1-based).
    public var epoch: Int, step: Int
    /// Steps per epoch and epochs planned.
    public var stepsPerEpoch: Int, epochs: Int
    /// Mean loss and accuracy over the epoch's samples so far (accuracy is the
    /// arg-max or 0.5-threshold match rate; meaningless for regression).
    public var loss: Double, accuracy: Double
    /// Training throughput of the epoch so far.
    public var samplesPerSecond: Double
    /// The learning rate in use.
    public var learningRate: Float
    /// Set at the end of an epoch.
    public var isEpochEnd: Bool
    /// Validation loss and accuracy, at epoch ends when there is a validation set.
    public var validationLoss: Double?, validationAccuracy: Double?
}

/// What the progress callback asks for.
public enum TrainingAction: Sendable {
    /// Go on.
    case `continue`
    /// Stop after this step; the weights are kept as they are.
    case stop
}

/// One finished epoch.
public struct EpochRecord: Sendable, Hashable {
    /// The epoch (0-based).
    public var epoch: Int
    /// Mean training loss and accuracy over the epoch's steps.
    public var loss: Double, accuracy: Double
    /// On the validation set, when there is one.
    public var validationLoss: Double?, validationAccuracy: Double?
    /// The learning rate used.
    public var learningRate: Float
    /// Wall time of the epoch (training steps only).
    public var seconds: Double
}

/// What ``Trainer/fit(_:options:progress:)`` did.
public struct TrainingHistory: Sendable {
    /// One record per completed epoch.
    public var epochs: [EpochRecord] = []
    /// Why training ended.
    public var stopReason: StopReason = .maxEpochs
    /// The epoch whose weights were kept (differs from the last one after early stopping).
    public var bestEpoch: Int?
    /// Training steps' wall time, summed.
    public var trainingSeconds: Double = 0
    /// Samples processed by training steps.
    public var samples: Int = 0
}

/// Why training ended.
public enum StopReason: Sendable, Hashable {
    case maxEpochs, earlyStopping, weightChangeTolerance, gradientTolerance, callback
}

extension Trainer {
    /// Trains on `data` for up to `options.epochs` epochs (warm start: from the
    /// current weights and optimizer state).
    ///
    /// - Parameter progress: called after every step and at every epoch end
    ///   (`isEpochEnd`); return `.stop` to end training.
    /// - Throws: ``TrainingError`` for mismatched shapes, non-finite data, or
    ///   divergence (per `options.divergence`).
    @discardableResult
    public func fit(
        _ data: Dataset, options: TrainingOptions, progress: ((TrainingProgress) -> TrainingAction)? = nil
    ) throws -> TrainingHistory {
        if let problem = data.firstNonFiniteValue() { throw TrainingError.nonFiniteData(problem) }
        try checkShapes(inputs: data.inputs, targets: data.targets)
        guard options.epochs >= 0, options.batchSize >= 1 else {
            throw TrainingError.shapeMismatch("epochs must be ≥ 0 and the batch size ≥ 1")
        }
        var training = data, validation = options.validation
        if validation == nil && options.validationSplit > 0 {
            (training, validation) = data.split(validationFraction: options.validationSplit, seed: generator.next())
        }
        guard training.count > 0 else { throw TrainingError.shapeMismatch("no training samples") }

        let batchSize = min(options.batchSize, training.count)
        let steps = (training.count + batchSize - 1) / batchSize
        let ws = workspace(capacity: batchSize)
        let lastGood = ParameterSnapshot(sizes: snapshotTensors.map(\.1))
        let best = ParameterSnapshot(sizes: snapshotTensors.map(\.1))
        var order = Array(0..<training.count)
        var history = TrainingHistory()
        var bestLoss = Double.infinity, epochsWithoutImprovement = 0, plateauEpochs = 0, plateauBest = Double.infinity
        var attemptsLeft = 0
        if case .rollBackAndHalveLearningRate(let attempts) = options.divergence { attemptsLeft = attempts }

        var epoch = 0, lowestLoss = Double.infinity
        lastGood.save(snapshotTensors, step: step)
        epochs: while epoch < options.epochs {
            // "Good" weights: the last epoch did not blow the loss up (≤ 10× the lowest so far).
            if let previous = history.epochs.last, previous.loss <= 10 * lowestLoss {
                lastGood.save(snapshotTensors, step: step)
            }
            let rate = options.schedule.rate(base: optimizer.learningRate, epoch: epoch, plateauScale: 1) * learningRateScale
            // Each epoch's order depends only on the generator, so that warm
            // starts continue exactly where a longer run would be.
            for i in order.indices { order[i] = i }
            if options.shuffle { order.shuffle(using: &generator) }
            var lossSum = 0.0, correct = 0, seen = 0, seconds = 0.0
            var lastChange = Double.infinity, lastGradient = Double.infinity
            for s in 0..<steps {
                let start = DispatchTime.now().uptimeNanoseconds
                let lower = s * batchSize, count = min(batchSize, training.count - lower)
                gather(training, order[lower..<(lower + count)], into: ws)
                let result = computeGradients(batch: count, in: ws)
                guard result.loss.isFinite, result.gradientSquares.isFinite else {
                    if attemptsLeft > 0 {
                        attemptsLeft -= 1
                        lastGood.restore(snapshotTensors)
                        step = lastGood.step
                        learningRateScale /= 2
                        continue epochs
                    }
                    lastGood.restore(snapshotTensors)
                    step = lastGood.step
                    throw TrainingError.diverged(epoch: epoch, step: s + 1, loss: result.loss)
                }
                lastGradient = result.gradientSquares.squareRoot()
                lastChange = applyUpdate(learningRate: rate, in: ws)
                seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                lossSum += result.loss * Double(count)
                correct += result.correct
                seen += count
                if let progress {
                    let report = TrainingProgress(
                        epoch: epoch, step: s + 1, stepsPerEpoch: steps, epochs: options.epochs,
                        loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                        samplesPerSecond: Double(seen) / max(seconds, 1e-9), learningRate: rate, isEpochEnd: false)
                    if progress(report) == .stop {
                        history.stopReason = .callback
                        break epochs
                    }
                }
            }
            history.trainingSeconds += seconds
            history.samples += seen
            var record = EpochRecord(
                epoch: epoch, loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                learningRate: rate, seconds: seconds)
            if let validation {
                let result = network.evaluate(validation.inputs, targets: validation.targets, loss: loss, threads: threads)
                (record.validationLoss, record.validationAccuracy) = (result.loss, result.accuracy)
            }
            history.epochs.append(record)
            lowestLoss = min(lowestLoss, record.loss)
            epoch += 1

            let monitored = record.validationLoss ?? record.loss
            if let patience = options.earlyStoppingPatience {
                if monitored < bestLoss {
                    bestLoss = monitored
                    epochsWithoutImprovement = 0
                    best.save(snapshotTensors, step: step)
                    history.bestEpoch = record.epoch
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience {
                        best.restore(snapshotTensors)
                        step = best.step
                        history.stopReason = .earlyStopping
                        break
                    }
                }
            }
            if case .reduceOnPlateau(let factor, let patience, let minimum) = options.schedule {
                if monitored < plateauBest {
                    plateauBest = monitored
                    plateauEpochs = 0
                } else {
                    plateauEpochs += 1
                    if plateauEpochs >= patience {
                        learningRateScale = max(minimum / max(optimizer.learningRate, .leastNormalMagnitude), learningRateScale * factor)
                        plateauEpochs = 0
                    }
                }
            }
            if let progress {
                let report = TrainingProgress(
                    epoch: record.epoch, step: steps, stepsPerEpoch: steps, epochs: options.epochs, loss: record.loss,
                    accuracy: record.accuracy, samplesPerSecond: Double(seen) / max(seconds, 1e-9), learningRate: rate,
                    isEpochEnd: true, validationLoss: record.validationLoss, validationAccuracy: record.validationAccuracy)
                if progress(report) == .stop {
                    history.stopReason = .callback
                    break
                }
            }
            if let tolerance = options.weightChangeTolerance, lastChange < tolerance {
                history.stopReason = .weightChangeTolerance
                break
            }
            if let tolerance = options.gradientTolerance, lastGradient < tolerance {
                history.stopReason = .gradientTolerance
                break
            }
        }
        return history
    }

    /// Copies the samples at `indices` into the workspace's batch buffers
    /// (column-major, leading dimension = the batch size).
    func gather(_ data: Dataset, _ indices: ArraySlice<Int>, into ws: Workspace) {
        let count = indices.count
        data.inputs.withUnsafeBufferPointer { x in
            for j in 0..<data.inputs.columns {
                let source = x.baseAddress! + j * data.count, destination = ws.x.pointer + j * count
                for (r, i) in indices.enumerated() { destination[r] = source[i] }
            }
        }
        data.targets.withUnsafeBufferPointer { t in
            for j in 0..<data.targets.columns {
                let source = t.baseAddress! + j * data.count, destination = ws.t.pointer + j * count
                for (r, i) in indices.enumerated() { destination[r] = source[i] }
            }
        }
    }
}
