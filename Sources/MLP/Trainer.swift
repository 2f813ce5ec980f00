import Kernels

/// Trains a ``Network``: minibatch steps (forward, backward, update) on
/// preallocated buffers, so that after the first step a training step
/// allocates nothing.
///
/// The trainer owns the parameters while it trains; ``network`` returns them
/// as a value. Training is deterministic: the same network, data, options and
/// seed give bitwise-identical weights for any thread count.
public final class Trainer {
    /// The layers' architecture, input side first.
    let shapes: [LayerShape]
    /// Parameters: each layer's weights, then each layer's bias (if any).
    let weights: [FloatBuffer], biases: [FloatBuffer?]
    /// Every parameter tensor (weights of each layer, then the biases there
    /// are), in the order of the optimizer state, snapshots and model files.
    let parameterTensors: [(UnsafeMutablePointer<Float>, Int)]
    /// Optimizer state, two slots per parameter tensor (nil when unused).
    private(set) var state1: [FloatBuffer?], state2: [FloatBuffer?]
    /// The loss minimized.
    public let loss: Loss
    /// The optimizer (its moments live in the trainer; see ``resetOptimizerState()``).
    public let optimizer: Optimizer
    /// Penalties, constraints and dropout.
    public let regularization: Regularization
    /// Updates applied so far (Adam's t).
    public internal(set) var step = 0
    /// Threads for the kernels; `nil` uses ``Threading/threadCount``.
    public var threads: Int?
    /// The multiplier applied to the learning rate by roll-backs and plateaus.
    public internal(set) var learningRateScale: Float = 1

    var generator: Xoshiro256
    private var workspace: Workspace?

    /// Prepares to train `network` with `loss`, `optimizer` and
    /// `regularization`; `seed` drives shuffling and dropout.
    ///
    /// - Throws: ``TrainingError/incompatibleLoss(_:)`` when a cross-entropy
    ///   loss does not match the output units (softmax cross-entropy needs
    ///   softmax units, sigmoid cross-entropy sigmoid units).
    public init(
        network: Network, loss: Loss, optimizer: Optimizer, regularization: Regularization = .none, seed: UInt64 = 0
    ) throws {
        let output = network.layers[network.layers.count - 1].units
        if loss == .softmaxCrossEntropy && output != .softmax {
            throw TrainingError.incompatibleLoss("softmax cross-entropy needs softmax output units, not \(output)")
        }
        if loss == .sigmoidCrossEntropy && output != .activation(.sigmoid) {
            throw TrainingError.incompatibleLoss("sigmoid cross-entropy needs sigmoid output units, not \(output)")
        }
        shapes = network.layers.map(\.shape)
        weights = network.layers.map { FloatBuffer(copying: $0.weights) }
        biases = network.layers.map { $0.bias.map(FloatBuffer.init(copying:)) }
        parameterTensors = weights.map { ($0.pointer, $0.count) } + biases.compactMap { $0.map { ($0.pointer, $0.count) } }
        self.loss = loss
        self.optimizer = optimizer
        self.regularization = regularization
        generator = Xoshiro256(seed: seed)
        state1 = []
        state2 = []
        resetOptimizerState()
    }

    /// The network with the current parameters.
    public var network: Network {
        Network(layers: shapes.indices.map { l in
            let shape = shapes[l]
            return DenseLayer(
                weights: weights[l].matrix(rows: shape.inputs, columns: shape.columns),
                bias: biases[l]?.matrix(rows: 1, columns: shape.columns), units: shape.units)
        })
    }

    /// Every buffer a snapshot must hold to restore training exactly.
    var snapshotTensors: [(UnsafeMutablePointer<Float>, Int)] {
        parameterTensors + (state1 + state2).compactMap { $0.map { ($0.pointer, $0.count) } }
    }

    /// Zeroes the optimizer's moments and its step count.
    public func resetOptimizerState() {
        let counts = parameterTensors.map(\.1)
        state1 = counts.map { optimizer.stateSlots >= 1 ? FloatBuffer(count: $0) : nil }
        state2 = counts.map { optimizer.stateSlots >= 2 ? FloatBuffer(count: $0) : nil }
        step = 0
    }

    /// The buffers for batches of up to `capacity` samples, reused across steps.
    func workspace(capacity: Int) -> Workspace {
        if let workspace, workspace.capacity >= capacity { return workspace }
        let created = Workspace(shapes: shapes, capacity: capacity, dropout: regularization.dropout > 0)
        workspace = created
        return created
    }

    // MARK: One step

    /// One gradient step on a minibatch (`partial_fit`): forward, backward
    /// and update with the optimizer's base learning rate times
    /// ``learningRateScale``. Returns the batch's mean loss (without the
    /// penalty) before the update.
    ///
    /// - Throws: ``TrainingError/diverged(epoch:step:loss:)`` (with epoch 0) when
    ///   the loss or gradient is not finite; the parameters are then unchanged.
    @discardableResult
    public func step(inputs: Matrix, targets: Matrix) throws -> Double {
        let ws = try load(inputs: inputs, targets: targets)
        let result = computeGradients(batch: inputs.rows, in: ws)
        guard result.loss.isFinite, result.gradientSquares.isFinite else {
            throw TrainingError.diverged(epoch: 0, step: step + 1, loss: result.loss)
        }
        applyUpdate(learningRate: optimizer.learningRate * learningRateScale, in: ws)
        return result.loss
    }

    /// The gradients of the loss (including the penalty) with respect to every
    /// weight and bias, for one batch, without updating anything: what
    /// ``GradientCheck`` compares with finite differences.
    public func gradients(inputs: Matrix, targets: Matrix) throws -> [(weights: Matrix, bias: Matrix?)] {
        let ws = try load(inputs: inputs, targets: targets)
        _ = computeGradients(batch: inputs.rows, in: ws, training: false)
        return shapes.indices.map { l in
            (ws.dW[l].matrix(rows: shapes[l].inputs, columns: shapes[l].columns),
             biases[l] == nil ? nil : ws.db[l].matrix(rows: 1, columns: shapes[l].columns))
        }
    }

    /// Checks a batch and copies it into the workspace's batch buffers.
    private func load(inputs: Matrix, targets: Matrix) throws -> Workspace {
        try checkShapes(inputs: inputs, targets: targets)
        let ws = workspace(capacity: inputs.rows)
        inputs.withUnsafeBufferPointer { ws.x.pointer.update(from: $0.baseAddress!, count: $0.count) }
        targets.withUnsafeBufferPointer { ws.t.pointer.update(from: $0.baseAddress!, count: $0.count) }
        return ws
    }

    func checkShapes(inputs: Matrix, targets: Matrix) throws {
        let first = shapes[0], last = shapes[shapes.count - 1]
        guard inputs.rows > 0 else { throw TrainingError.shapeMismatch("no samples") }
        guard inputs.columns == first.inputs else {
            throw TrainingError.shapeMismatch("inputs have \(inputs.columns) features, the network takes \(first.inputs)")
        }
        guard targets.columns == last.outputs, targets.rows == inputs.rows else {
            throw TrainingError.shapeMismatch(
                "targets are \(targets.rows) × \(targets.columns), expected \(inputs.rows) × \(last.outputs)")
        }
    }

    /// Forward and backward on the first `batch` samples of `ws.x`/`ws.t`:
    /// fills `ws.dW`/`ws.db` (penalty included) and returns the mean data loss,
    /// the number of correctly classified samples and Σ g².
    func computeGradients(batch: Int, in ws: Workspace, training: Bool = true)
        -> (loss: Double, correct: Int, gradientSquares: Double)
    {
        let threads = self.threads ?? Threading.threadCount
        let last = shapes.count - 1
        let ld = max(1, batch)

        // Forward.
        for l in shapes.indices {
            let input = l == 0 ? UnsafePointer(ws.x.pointer) : UnsafePointer(ws.output(of: l - 1))
            LayerForward.run(
                shapes[l], weights: weights[l].pointer, bias: biases[l].map { UnsafePointer($0.pointer) },
                batch: batch, x: input, z: ws.z[l].pointer, a: ws.a[l].pointer, argmax: ws.argmax[l], threads: threads)
            if let mask = ws.mask[l], let dropped = ws.dropped[l] {
                if training {
                    Dropout.apply(rate: regularization.dropout, count: batch * shapes[l].outputs, a: ws.a[l].pointer, mask: mask.pointer, into: dropped.pointer, using: &generator)
                } else {
                    dropped.pointer.update(from: ws.a[l].pointer, count: batch * shapes[l].outputs)
                    mask.pointer.update(repeating: 1, count: batch * shapes[l].outputs)
                }
            }
        }

        // The loss and ∂L/∂z of the output layer.
        let output = shapes[last]
        let correct = Self.correctCount(batch: batch, outputs: output.outputs, predictions: ws.a[last].pointer, targets: ws.t.pointer, units: output.units)
        let value: Double
        if loss.takesLogits {
            value = loss.evaluate(
                rows: batch, columns: output.outputs, predictions: ws.z[last].pointer, ldp: ld,
                targets: ws.t.pointer, ldt: ld, gradient: ws.delta[last].pointer, ldg: ld)
        } else {
            value = loss.evaluate(
                rows: batch, columns: output.outputs, predictions: ws.a[last].pointer, ldp: ld,
                targets: ws.t.pointer, ldt: ld, gradient: ws.upstream[last].pointer, ldg: ld)
            Backward.throughUnits(output, batch: batch, upstream: ws.upstream[last].pointer, layer: last, in: ws)
        }

        // Backward, output layer first.
        var squares = 0.0
        for l in shapes.indices.reversed() {
            let shape = shapes[l]
            let input = l == 0 ? UnsafePointer(ws.x.pointer) : UnsafePointer(ws.output(of: l - 1))
            // dW = inputᵀ·δ, db = Σ over the batch of δ.
            sgemm(
                transA: .transpose, transB: .noTranspose, m: shape.inputs, n: shape.columns, k: batch, alpha: 1,
                a: input, lda: ld, b: ws.delta[l].pointer, ldb: ld, beta: 0, c: ws.dW[l].pointer, ldc: max(1, shape.inputs),
                options: GEMMOptions(threads: threads))
            if biases[l] != nil {
                Elementwise.columnSums(rows: batch, columns: shape.columns, ws.delta[l].pointer, lda: ld, into: ws.db[l].pointer)
            }
            regularization.addGradient(weights[l].pointer, to: ws.dW[l].pointer, count: weights[l].count)
            squares += Self.sumOfSquares(ws.dW[l].pointer, count: weights[l].count)
            if biases[l] != nil { squares += Self.sumOfSquares(ws.db[l].pointer, count: shape.columns) }
            if l > 0 { Backward.toPreviousLayer(l, batch: batch, shapes: shapes, weights: weights[l].pointer, in: ws, threads: threads) }
        }
        return (value, correct, squares)
    }

    /// Applies the optimizer to every parameter tensor from the gradients in
    /// `ws`, then the max-norm constraint; returns ‖Δw‖.
    @discardableResult
    func applyUpdate(learningRate: Float, in ws: Workspace) -> Double {
        step += 1
        var squares = 0.0
        for index in parameterTensors.indices {
            let (p, count) = parameterTensors[index]
            squares += optimizer.update(
                count: count, w: p, g: ws.gradients[index], s1: state1[index]?.pointer, s2: state2[index]?.pointer,
                lr: learningRate, step: step, decays: index < weights.count)
        }
        for l in shapes.indices {
            regularization.constrain(weights[l].pointer, rows: shapes[l].inputs, columns: shapes[l].columns)
        }
        return squares.squareRoot()
    }

    static func sumOfSquares(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var sum = SIMD8<Float>()
        let full = count / 8 * 8
        var i = 0
        while i < full {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            sum += v * v
            i += 8
        }
        var total = Double(sum.sum())
        for i in full..<count { total += Double(p[i] * p[i]) }
        return total
    }

    /// Samples whose predicted class (arg-max, or threshold for one output)
    /// matches the target's.
    static func correctCount(batch: Int, outputs: Int, predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, units: Units) -> Int {
        var correct = 0
        let cut = units.decisionThreshold
        for i in 0..<batch {
            if outputs == 1 {
                if (p[i] >= cut) == (t[i] >= 0.5) { correct += 1 }
                continue
            }
            var best = 0, target = 0
            for j in 1..<outputs {
                if p[i + j * batch] > p[i + best * batch] { best = j }
                if t[i + j * batch] > t[i + target * batch] { target = j }
            }
            if best == target { correct += 1 }
        }
        return correct
    }
}
