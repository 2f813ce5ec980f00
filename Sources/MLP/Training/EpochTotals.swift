import Kernels

/// The running totals of one epoch's steps, and the epoch's loss by the one
/// rule every reported loss follows: `Loss`'s own reduction over the
/// samples the number describes. For a mean loss that is the sample-weighted
/// mean of the batches' losses, for `Loss.sumOfSquares` their sum, so that
/// `fit`, `step` and `evaluate` agree on the same data whatever the batch size.
struct EpochTotals {
    let loss: Loss
    private var lossTotal = 0.0
    private(set) var correct = 0, seen = 0
    var seconds = 0.0

    init(loss: Loss) { self.loss = loss }

    /// Adds a step's batch loss (as `Loss` reduces it over the batch).
    mutating func add(batchLoss: Double, correct: Int, samples: Int) {
        lossTotal += loss.isSummedOverSamples ? batchLoss : batchLoss * Double(samples)
        self.correct += correct
        seen += samples
    }

    /// The loss over the samples seen so far.
    var value: Double { loss.isSummedOverSamples ? lossTotal : lossTotal / Double(max(1, seen)) }
    var accuracy: Double { Double(correct) / Double(max(1, seen)) }
    var samplesPerSecond: Double { Double(seen) / max(seconds, 1e-9) }
}
