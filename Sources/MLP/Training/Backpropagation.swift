import Kernels

/// The forward and backward passes of a network over the parameters of a
/// ``ParameterStore``, in the memory of ``StepBuffers``: what a training step
/// and every gradient query run. It computes gradients and never changes a
/// parameter; the ``Trainer`` applies updates.
final class Backpropagation {
    /// The layers' architecture, input side first.
    let shapes: [LayerShape]
    let store: ParameterStore
    private var buffers: StepBuffers?

    /// Where the backward pass starts.
    enum Objective {
        /// From a loss on `memory.t`, plus the gradient of the penalties.
        case loss(Loss, Regularization)
        /// From ∂L/∂output, which the caller wrote to the output layer's
        /// `upstream` buffer.
        case outputGradient
    }

    /// What one pass found.
    struct Outcome {
        /// The batch's loss (0 for `.outputGradient`), without the penalty.
        var loss: Double
        /// Samples whose predicted class matches the target's.
        var correct: Int
        /// Σ g² over every gradient, penalty included.
        var gradientSquares: Double
    }

    init(store: ParameterStore, shapes: [LayerShape]) {
        self.store = store
        self.shapes = shapes
    }

    /// The buffers for batches of up to `capacity` samples, reused while
    /// large enough.
    func buffers(capacity: Int, dropout: Bool) -> StepBuffers {
        if let buffers, buffers.capacity >= capacity { return buffers }
        let created = StepBuffers(shapes: shapes, capacity: capacity, dropout: dropout)
        buffers = created
        return created
    }

    /// Forward and backward on the batch in `m` (inputs in `m.x`, targets in
    /// `m.t`): fills the gradients of `t`, and ∂L/∂x into `m.inputGradient`
    /// when `inputGradient` is set.
    func run(
        _ m: StepMemory, _ t: TensorMemory, objective: Objective, dropout: Float, training: Bool, inputGradient: Bool,
        generator: inout Xoshiro256, threads: Int
    ) -> Outcome {
        forward(m, t, dropout: dropout, training: training, generator: &generator, threads: threads)
        let last = shapes.count - 1, output = shapes[last], batch = m.batch, ld = max(1, batch)
        let correct = Self.correctCount(batch: batch, outputs: output.outputs, predictions: m.a(last), targets: m.t, units: output.units)

        // ∂L/∂z of the output layer, from the loss or from the given ∂L/∂output.
        var value = 0.0
        var regularization = Regularization.none
        switch objective {
        case .loss(let loss, let penalties):
            regularization = penalties
            if loss.takesLogits {
                value = loss.evaluate(
                    rows: batch, columns: output.outputs, predictions: m.z(last), ldp: ld, targets: m.t, ldt: ld,
                    gradient: m.delta(last), ldg: ld)
            } else {
                value = loss.evaluate(
                    rows: batch, columns: output.outputs, predictions: m.a(last), ldp: ld, targets: m.t, ldt: ld,
                    gradient: m.upstream(last), ldg: ld)
                unitsBackward(last, m)
            }
        case .outputGradient:
            unitsBackward(last, m)
        }

        // Backward, output layer first: δ_l is ready when layer l's turn comes.
        for l in shapes.indices.reversed() {
            backward(l, m, t, inputGradient: inputGradient, threads: threads)
            let weights = store.layout.weights[l]
            regularization.addGradient(t.w + weights.lowerBound, to: t.g + weights.lowerBound, count: weights.count)
        }
        let squares = ParameterChunks.sum(count: t.count, weightsEnd: store.layout.weightsEnd, threads: threads, GradientSquares(g: t.g))
        return Outcome(loss: value, correct: correct, gradientSquares: squares)
    }

    // x (batch × inputs) → every layer's z and a, dropout applied to hidden layers' outputs
    private func forward(_ m: StepMemory, _ t: TensorMemory, dropout: Float, training: Bool, generator: inout Xoshiro256, threads: Int) {
        for (l, shape) in shapes.enumerated() {
            LayerPass.forward(
                shape, z: m.z(l), a: m.a(l), argmax: m.argmax(l), x: m.input(l), w: t.w + store.layout.weights[l].lowerBound,
                b: store.layout.biases[l].map { UnsafePointer(t.w + $0.lowerBound) }, batch: m.batch, threads: threads)
            guard let mask = m.mask(l) else { continue }
            let count = m.batch * shape.outputs
            if training {
                Dropout.forward(out: m.output(l), mask: mask, a: m.a(l), rate: dropout, count: count, using: &generator)
            } else {
                m.output(l).update(from: m.a(l), count: count)
                mask.update(repeating: 1, count: count)
            }
        }
    }

    // δ_l → dW_l, db_l, and δ_{l−1} (or ∂L/∂x for the first layer, when asked for)
    /// Layer `l`'s backward pass. When the previous layer's units are
    /// elementwise and it has no dropout, its derivative is fused into the
    /// GEMM that forms its gradient, which then is δ_{l−1} directly.
    private func backward(_ l: Int, _ m: StepMemory, _ t: TensorMemory, inputGradient: Bool, threads: Int) {
        let shape = shapes[l], ld = max(1, m.batch)
        var dX: UnsafeMutablePointer<Float>? = l == 0 && inputGradient ? m.inputGradient : nil
        var epilogue = GEMMEpilogue.none
        var fused = false
        if l > 0 {
            if case .activation(let f) = shapes[l - 1].units, m.mask(l - 1) == nil {
                dX = m.delta(l - 1)
                epilogue = .derivative(of: f, preActivations: m.z(l - 1), ldz: ld, outputs: m.a(l - 1), lda: ld)
                fused = true
            } else {
                dX = m.upstream(l - 1)
            }
        }
        let weights = store.layout.weights[l]
        DensePass.backward(
            dX: dX, dXEpilogue: epilogue, dW: t.g + weights.lowerBound, db: store.layout.biases[l].map { t.g + $0.lowerBound },
            delta: m.delta(l), x: m.input(l), w: t.w + weights.lowerBound,
            batch: m.batch, inputs: shape.inputs, columns: shape.columns, threads: threads)
        if l > 0 && !fused {
            if let mask = m.mask(l - 1) { Dropout.backward(gradient: m.upstream(l - 1), mask: mask, count: m.batch * shapes[l - 1].outputs) }
            unitsBackward(l - 1, m)
        }
    }

    /// δ of layer `l` from its ∂L/∂a.
    private func unitsBackward(_ l: Int, _ m: StepMemory) {
        LayerPass.unitsBackward(
            shapes[l], delta: m.delta(l), upstream: m.upstream(l), z: m.z(l), a: m.a(l), argmax: m.argmax(l), batch: m.batch)
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
