import Kernels

extension Trainer {
    /// One gradient step on a minibatch (`partial_fit`): forward, backward
    /// and update with the optimizer's base learning rate times
    /// ``learningRateScale``. Returns the batch's loss before the update, as
    /// `Loss` reduces it over the batch's samples (without the penalty):
    /// the value ``Network/evaluate(_:targets:loss:threads:)`` gives on the
    /// same samples.
    ///
    /// Each call opens its own parallel region unless it runs inside one; in
    /// a loop of many steps, open one around the loop
    /// (`Threading.withParallelRegion`), as ``fit(_:options:progress:)`` does.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × inputs) batch.
    ///   - targets: the (samples × outputs) targets.
    /// - Throws: ``TrainingError/diverged(epoch:step:loss:)`` (with epoch 0) when
    ///   the loss or gradient is not finite; the parameters are then unchanged.
    @discardableResult
    public func step(inputs: Matrix, targets: Matrix) throws -> Double {
        try checkShapes(inputs: inputs, targets: targets)
        return try Threading.withParallelRegion(threads: threadCount) { () throws(TrainingError) -> Double in
            let outcome = gradientPass(batch: inputs.rows, objective: .loss(loss, regularization), training: true) { m in
                copy(inputs, to: m.x)
                copy(targets, to: m.t)
            }
            guard outcome.loss.isFinite, outcome.gradientSquares.isFinite else {
                throw TrainingError.diverged(epoch: 0, step: step + 1, loss: outcome.loss)
            }
            applyUpdate(learningRate: optimizer.learningRate * learningRateScale)
            return outcome.loss
        }
    }

    /// The gradients of the loss (penalty included) with respect to every
    /// weight and bias for one batch, and with respect to the inputs when
    /// `withRespectToInputs` is set (one more GEMM for the first layer),
    /// without updating anything; dropout is off. ``GradientCheck`` compares
    /// them with finite differences.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × inputs) batch.
    ///   - targets: the (samples × outputs) targets.
    ///   - withRespectToInputs: whether to compute ∂L/∂x too.
    public func gradients(inputs: Matrix, targets: Matrix, withRespectToInputs: Bool = false) throws -> Gradients {
        try checkShapes(inputs: inputs, targets: targets)
        return collect(batch: inputs.rows, objective: .loss(loss, regularization), inputGradient: withRespectToInputs) { m in
            copy(inputs, to: m.x)
            copy(targets, to: m.t)
        }
    }

    /// The backward pass from a given ∂L/∂output (samples × outputs) instead
    /// of a loss: the gradients of Σ (outputGradient ⊙ output) with respect to
    /// every parameter (and to the inputs when `withRespectToInputs` is set),
    /// for chaining the network into other code. No penalty is added.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × inputs) batch.
    ///   - outputGradient: ∂L/∂output, (samples × outputs).
    ///   - withRespectToInputs: whether to compute ∂L/∂x too.
    public func gradients(inputs: Matrix, outputGradient: Matrix, withRespectToInputs: Bool = false) throws -> Gradients {
        try checkShapes(inputs: inputs, targets: outputGradient)
        let last = shapes.count - 1
        return collect(batch: inputs.rows, objective: .outputGradient, inputGradient: withRespectToInputs) { m in
            copy(inputs, to: m.x)
            copy(outputGradient, to: m.upstream(last))
        }
    }

    func checkShapes(inputs: Matrix, targets: Matrix) throws(TrainingError) {
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

    /// One forward and backward pass on `batch` samples that `load` writes
    /// into the step's memory.
    func gradientPass(
        batch: Int, objective: Backpropagation.Objective, training: Bool, inputGradient: Bool = false,
        load: (StepMemory) -> Void
    ) -> Backpropagation.Outcome {
        let buffers = engine.buffers(capacity: batch, dropout: regularization.dropout > 0)
        return buffers.withUnsafeMemory(batch: batch) { m in
            load(m)
            return store.withUnsafeTensors { t in
                engine.run(
                    m, t, objective: objective, dropout: regularization.dropout, training: training,
                    inputGradient: inputGradient, generator: &generator, threads: threadCount)
            }
        }
    }

    /// A gradient pass without dropout, its gradients copied out.
    private func collect(batch: Int, objective: Backpropagation.Objective, inputGradient: Bool, load: (StepMemory) -> Void) -> Gradients {
        Threading.withParallelRegion(threads: threadCount) {
            _ = gradientPass(batch: batch, objective: objective, training: false, inputGradient: inputGradient, load: load)
            let layout = store.layout
            let layers = shapes.indices.map { l in
                LayerGradients(
                    weights: store.matrix(layout.weights[l], rows: shapes[l].inputs, columns: shapes[l].columns, gradients: true),
                    bias: layout.biases[l].map { store.matrix($0, rows: 1, columns: shapes[l].columns, gradients: true) })
            }
            var inputs: Matrix?
            if inputGradient {
                inputs = engine.buffers(capacity: batch, dropout: regularization.dropout > 0).withUnsafeMemory(batch: batch) { m in
                    Matrix(
                        rows: batch, columns: shapes[0].inputs, columnMajor: Array(UnsafeBufferPointer(start: m.inputGradient, count: batch * shapes[0].inputs))
                    )
                }
            }
            return Gradients(layers: layers, inputs: inputs)
        }
    }

    /// Applies the optimizer to every parameter from the current gradients,
    /// then the max-norm constraint; returns ‖Δw‖.
    @discardableResult
    func applyUpdate(learningRate: Float) -> Double {
        step += 1
        let step = self.step, optimizer = self.optimizer, layout = store.layout
        return store.withUnsafeTensors { t in
            sumTiedGradients(t)
            let squares = ParameterChunks.sum(
                count: t.count, weightsEnd: layout.weightsEnd, threads: threadCount,
                OptimizerUpdate(optimizer: optimizer, t: t, learningRate: learningRate, step: step))
            for l in shapes.indices {
                regularization.constrain(t.w + layout.weights[l].lowerBound, rows: shapes[l].inputs, columns: shapes[l].columns)
            }
            copyTiedWeights(t)
            return squares.squareRoot()
        }
    }

    /// Copies a matrix's elements (column-major) to `destination`.
    func copy(_ matrix: Matrix, to destination: UnsafeMutablePointer<Float>) {
        matrix.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: $0.count) }
    }
}
