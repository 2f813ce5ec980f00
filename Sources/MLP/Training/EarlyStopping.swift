/// Early stopping: remembers the weights of the epoch with the lowest
/// monitored loss and asks to stop after `patience` epochs without a new low.
struct EarlyStopping {
    let patience: Int
    private let best: ParameterSnapshot
    private var lowest = Double.infinity, epochsWithoutImprovement = 0

    init(patience: Int, store: ParameterStore) {
        self.patience = patience
        best = store.makeSnapshot()
    }

    /// Records the end of `epoch`; returns true when training should stop,
    /// after restoring the best epoch's weights and step.
    mutating func shouldStop(epoch: Int, monitored: Double, trainer: Trainer, history: inout TrainingHistory) -> Bool {
        if monitored < lowest {
            lowest = monitored
            epochsWithoutImprovement = 0
            trainer.store.save(into: best, step: trainer.step)
            history.bestEpoch = epoch
            return false
        }
        epochsWithoutImprovement += 1
        guard epochsWithoutImprovement >= patience else { return false }
        trainer.store.restore(from: best)
        trainer.step = best.step
        return true
    }
}

/// ``LearningRateSchedule/reduceOnPlateau(factor:patience:minimum:)``: scales
/// the learning rate down after `patience` epochs without a new low.
struct PlateauTracker {
    let factor: Float, patience: Int, minimum: Float
    private var lowest = Double.infinity, epochs = 0

    init?(_ schedule: LearningRateSchedule) {
        guard case .reduceOnPlateau(let factor, let patience, let minimum) = schedule else { return nil }
        (self.factor, self.patience, self.minimum) = (factor, patience, minimum)
    }

    mutating func update(monitored: Double, trainer: Trainer) {
        if monitored < lowest {
            lowest = monitored
            epochs = 0
            return
        }
        epochs += 1
        if epochs >= patience {
            let base = max(trainer.optimizer.learningRate, .leastNormalMagnitude)
            trainer.learningRateScale = max(minimum / base, trainer.learningRateScale * factor)
            epochs = 0
        }
    }
}

/// The divergence guard: keeps the weights of the latest "good" epoch start
/// (the previous epoch did not raise the loss above 10× its lowest) and, per
/// ``DivergencePolicy``, rolls back to them and halves the learning rate.
struct DivergenceGuard {
    private let lastGood: ParameterSnapshot
    private var attemptsLeft: Int
    private var lowestLoss = Double.infinity

    init(policy: DivergencePolicy, trainer: Trainer) {
        lastGood = trainer.store.makeSnapshot()
        if case .rollBackAndHalveLearningRate(let attempts) = policy { attemptsLeft = attempts } else { attemptsLeft = 0 }
        trainer.store.save(into: lastGood, step: trainer.step)
    }

    /// At the start of an epoch: the weights are good when the last epoch
    /// (if any) kept its loss within 10× the lowest so far.
    mutating func epochStarts(after previous: EpochRecord?, trainer: Trainer) {
        guard let previous else { return }
        lowestLoss = min(lowestLoss, previous.loss)
        if previous.loss <= 10 * lowestLoss { trainer.store.save(into: lastGood, step: trainer.step) }
    }

    /// After a step whose loss or gradient was not finite: restores the last
    /// good weights; returns true when the epoch should run again at half
    /// the rate, false when training must stop.
    mutating func rollBack(trainer: Trainer) -> Bool {
        trainer.store.restore(from: lastGood)
        trainer.step = lastGood.step
        guard attemptsLeft > 0 else { return false }
        attemptsLeft -= 1
        trainer.learningRateScale /= 2
        return true
    }
}
