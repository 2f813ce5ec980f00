import Dispatch
import Kernels
import MLP
import Synchronization
import Testing

@Suite("Training")
struct TrainingTests {
    /// A small classification problem: the class is the quadrant of (x₀, x₁).
    static func quadrants(samples: Int, seed: UInt64) throws -> Dataset {
        var g = Xoshiro256(seed: seed)
        let x = Matrix.uniform(rows: samples, columns: 6, in: -1...1, using: &g)
        let labels = (0..<samples).map { (x[$0, 0] > 0 ? 1 : 0) + (x[$0, 1] > 0 ? 2 : 0) }
        return try Dataset(inputs: x, labels: labels, classes: 4)
    }

    static func classifier(seed: UInt64 = 1) throws -> Network {
        try Network(
            inputs: 6, layers: [LayerSpec(32, .activation(.relu), initialBias: 0.01), LayerSpec(16, .activation(.tanh)), LayerSpec(4, .softmax)], seed: seed)
    }

    @Test("same seed and data: bitwise-identical weights for 1, 2 and 8 threads (Adam, dropout, validation split)")
    func determinism() throws {
        // Layers wide enough that the GEMMs really split across threads
        // (≥ 16 MFLOP: the first layer's forward pass is 67 MFLOP per step).
        var g = Xoshiro256(seed: 1)
        let x = Matrix.uniform(rows: 640, columns: 256, in: -1...1, using: &g)
        let data = try Dataset(inputs: x, labels: (0..<640).map { x[$0, 0] > 0 ? 1 : 0 }, classes: 2)
        let network = try Network(inputs: 256, layers: [LayerSpec(512, .activation(.gelu)), LayerSpec(64), LayerSpec(2, .softmax)], seed: 2)
        var results: [Network] = []
        for threads in [1, 2, 8] {
            let trainer = try Trainer(
                network: network, loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 0.01),
                regularization: Regularization(l2: 1e-4, dropout: 0.2), seed: 9)
            trainer.threads = threads
            try trainer.fit(data, options: TrainingOptions(epochs: 2, batchSize: 256, validationSplit: 0.2))
            results.append(trainer.network)
        }
        #expect(results[0] == results[1] && results[0] == results[2])
        #expect(results[0] != network)
    }

    @Test(
        "every optimizer lowers the loss; accuracy on the quadrants task exceeds 90%",
        arguments: [
            Optimizer.sgd(learningRate: 0.5), .momentum(learningRate: 0.1), .nesterov(learningRate: 0.1), .adaGrad(learningRate: 0.1),
            .rmsProp(learningRate: 0.01), .adam(learningRate: 0.01), .adamW(learningRate: 0.01),
            .deltaBarDelta(learningRate: 0.05, increment: 0.001, decrement: 0.2, smoothing: 0.7),
        ])
    func optimizers(_ optimizer: Optimizer) throws {
        let data = try Self.quadrants(samples: 800, seed: 2)
        let trainer = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: optimizer, seed: 3)
        let before = try trainer.network.evaluate(data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
        try trainer.fit(data, options: TrainingOptions(epochs: 30, batchSize: 32))
        let after = try trainer.network.evaluate(data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
        #expect(after.loss < before.loss / 2 && (after.accuracy ?? 0) > 0.9, "\(optimizer.name): \(before) → \(after)")
    }

    @Test("one SGD and one momentum step follow their formulas exactly")
    func updateRules() throws {
        let x = Matrix([[1, 2]]), t = Matrix([[1]])
        let network = try Network(layers: [try DenseLayer(weights: Matrix([[0.5], [-0.25]]), bias: nil, units: .linear)])
        let g = try Trainer(network: network, loss: .sumOfSquares, optimizer: .sgd(learningRate: 0)).gradients(inputs: x, targets: t).layers[0].weights
        let sgd = try Trainer(network: network, loss: .sumOfSquares, optimizer: .sgd(learningRate: 0.1))
        try sgd.step(inputs: x, targets: t)
        #expect(sgd.network.layers[0].weights == network.layers[0].weights - 0.1 * g)
        let momentum = try Trainer(network: network, loss: .sumOfSquares, optimizer: .momentum(learningRate: 0.1, momentum: 0.5))
        try momentum.step(inputs: x, targets: t)
        let w1 = network.layers[0].weights - 0.1 * g
        let g1 = try Trainer(network: momentum.network, loss: .sumOfSquares, optimizer: .sgd(learningRate: 0)).gradients(inputs: x, targets: t).layers[0]
            .weights
        try momentum.step(inputs: x, targets: t)
        let expected = w1 + (-0.1 * g1 + 0.5 * (-0.1 * g))
        #expect(momentum.network.layers[0].weights.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-7))
    }

    @Test("divergence stops with the epoch and step, weights finite; roll-back halves the rate and recovers")
    func divergence() throws {
        let data = try Self.quadrants(samples: 200, seed: 4)
        let regression = try Dataset(inputs: data.inputs, targets: data.inputs.map { $0 * 100 })
        let network = try Network(inputs: 6, layers: [LayerSpec(6, .linear)], seed: 1)
        let trainer = try Trainer(network: network, loss: .meanSquaredError, optimizer: .sgd(learningRate: 40))
        #expect {
            try trainer.fit(regression, options: TrainingOptions(epochs: 50, batchSize: 200))
        } throws: { error in
            guard case TrainingError.diverged(let epoch, let step, _) = error else { return false }
            return epoch >= 0 && step == 1 && "\(error)".contains("epoch \(epoch), step 1")
        }
        #expect(trainer.network.layers[0].weights.elements.allSatisfy { $0.isFinite })

        let recovering = try Trainer(network: network, loss: .meanSquaredError, optimizer: .sgd(learningRate: 40))
        let history = try recovering.fit(
            regression, options: TrainingOptions(epochs: 50, batchSize: 200, divergence: .rollBackAndHalveLearningRate(attempts: 12)))
        #expect(recovering.learningRateScale < 1 && history.epochs.last!.loss.isFinite)
    }

    @Test("early stopping restores the weights of the best validation epoch")
    func earlyStopping() throws {
        // Few noisy samples and a large network: validation loss rises after a while.
        var g = Xoshiro256(seed: 6)
        let x = Matrix.uniform(rows: 60, columns: 6, in: -1...1, using: &g)
        let y = Matrix.uniform(rows: 60, columns: 1, in: -1...1, using: &g)
        let network = try Network(inputs: 6, layers: [LayerSpec(64, .activation(.tanh)), LayerSpec(1, .linear)], seed: 2)
        let trainer = try Trainer(network: network, loss: .meanSquaredError, optimizer: .adam(learningRate: 0.01), seed: 1)
        let history = try trainer.fit(
            Dataset(inputs: x, targets: y), options: TrainingOptions(epochs: 500, batchSize: 10, validationSplit: 0.3, earlyStoppingPatience: 10))
        #expect(history.stopReason == .earlyStopping)
        let best = history.epochs.compactMap(\.validationLoss).min()!
        #expect(history.epochs[history.bestEpoch!].validationLoss == best)
        #expect(history.epochs.count == history.bestEpoch! + 11)
    }

    @Test("warm start: fit(2 epochs) twice equals fit(4 epochs) bitwise")
    func warmStart() throws {
        let data = try Self.quadrants(samples: 300, seed: 5)
        let once = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .adam(), seed: 4)
        try once.fit(data, options: TrainingOptions(epochs: 4, batchSize: 32))
        let twice = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .adam(), seed: 4)
        try twice.fit(data, options: TrainingOptions(epochs: 2, batchSize: 32))
        try twice.fit(data, options: TrainingOptions(epochs: 2, batchSize: 32))
        #expect(once.network == twice.network && once.step == twice.step)
    }

    @Test("schedules, max-norm, tolerances and the progress callback")
    func controls() throws {
        let data = try Self.quadrants(samples: 200, seed: 7)
        let trainer = try Trainer(
            network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.4),
            regularization: Regularization(maxNorm: 0.8), seed: 1)
        var steps = 0
        let history = try trainer.fit(data, options: TrainingOptions(epochs: 6, batchSize: 50, schedule: .stepDecay(every: 2, factor: 0.5))) {
            if !$0.isEpochEnd { steps += 1 }
            return .continue
        }
        #expect(history.epochs.map(\.learningRate) == [0.4, 0.4, 0.2, 0.2, 0.1, 0.1])
        #expect(steps == 6 * 4)
        for layer in trainer.network.layers {
            for j in 0..<layer.weights.columns {
                let norm = layer.weights.column(j).elements.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(norm <= 0.8 + 1e-5)
            }
        }
        let cosine = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 1))
        let rates = try cosine.fit(data, options: TrainingOptions(epochs: 3, batchSize: 200, schedule: .cosine(epochs: 2))).epochs.map(\.learningRate)
        #expect(rates == [1, 0.5, 0])
        // A rate too small to change the loss in Float: every epoch is a plateau.
        let plateau = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 1e-30))
        let plateauRates = try plateau.fit(
            data, options: TrainingOptions(epochs: 4, batchSize: 200, schedule: .reduceOnPlateau(factor: 0.5, patience: 1, minimum: 0))
        ).epochs.map(\.learningRate)
        #expect(plateauRates == [1e-30, 1e-30, 5e-31, 2.5e-31])
        let stopped = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.1))
            .fit(data, options: TrainingOptions(epochs: 10, batchSize: 50, gradientTolerance: 1e9))
        #expect(stopped.stopReason == .gradientTolerance && stopped.epochs.count == 1)
        let byCallback = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .sgd(learningRate: 0.1))
            .fit(data, options: TrainingOptions(epochs: 10, batchSize: 50)) { $0.step == 3 ? .stop : .continue }
        #expect(byCallback.stopReason == .callback && byCallback.epochs.isEmpty)
    }

    @Test("bad data is a thrown error naming the problem")
    func badData() throws {
        var x = Matrix(rows: 4, columns: 6)
        x[2, 3] = .nan
        let trainer = try Trainer(network: Self.classifier(), loss: .softmaxCrossEntropy, optimizer: .adam())
        #expect(throws: TrainingError.nonFiniteData("input value nan at sample 2, column 3")) {
            try trainer.fit(Dataset(inputs: x, labels: [0, 1, 2, 3], classes: 4), options: TrainingOptions())
        }
        #expect(throws: TrainingError.self) { try trainer.step(inputs: Matrix(rows: 2, columns: 5), targets: Matrix(rows: 2, columns: 4)) }
        #expect(throws: TrainingError.self) {
            try Trainer(network: Self.classifier(), loss: .sigmoidCrossEntropy, optimizer: .adam())
        }
    }

    @Test("a trained network predicts from many threads at once, each call equal to the sequential one")
    func concurrentInference() throws {
        let network = try Self.classifier()
        let x = try Self.quadrants(samples: 97, seed: 8).inputs
        let expected = try network.predict(x, threads: 1)
        final class Counter: Sendable { let value = Atomic(0) }
        let matches = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if (try? network.predict(x, threads: 1)) == expected { matches.value.add(1, ordering: .relaxed) }
        }
        #expect(matches.value.load(ordering: .relaxed) == 8)
    }
}
