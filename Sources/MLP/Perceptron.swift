import Kernels

/// Rosenblatt's perceptron: one layer of unit-step outputs trained with the
/// perceptron rule w ← w + η·(t − y)·x, b ← b + η·(t − y), sample by sample.
///
/// The step has no useful derivative, so this is not gradient descent; the
/// rule converges in finitely many epochs exactly when the classes are
/// linearly separable (Novikoff), and otherwise cycles forever.
public struct Perceptron: Sendable {
    /// The single step layer (inputs × outputs weights, with bias).
    public private(set) var network: Network

    /// The outcome of ``train(inputs:targets:learningRate:maxEpochs:)``.
    public struct Result: Sendable, CustomStringConvertible {
        /// Whether an epoch classified every sample correctly.
        public var converged: Bool
        /// Epochs run.
        public var epochs: Int
        /// Misclassified samples in the last epoch.
        public var errors: Int

        /// "converged after 4 epochs" or why not.
        public var description: String {
            converged
                ? "converged after \(epochs) epochs"
                : "did not converge in \(epochs) epochs (\(errors) samples still misclassified): the classes are not linearly separable, or more epochs are needed"
        }
    }

    /// A perceptron with zero weights and biases.
    ///
    /// - Parameters:
    ///   - inputs: the number of inputs.
    ///   - outputs: the number of outputs.
    /// - Throws: ``ArgumentError`` when `inputs` or `outputs` is below 1.
    public init(inputs: Int, outputs: Int = 1) throws(ArgumentError) {
        try check(inputs >= 1 && outputs >= 1, "Perceptron", "inputs = \(inputs) and outputs = \(outputs) must be ≥ 1")
        network = Network(checkedLayers: [
            DenseLayer(
                checkedWeights: Matrix(rows: inputs, columns: outputs), bias: Matrix(rows: 1, columns: outputs),
                units: .activation(.step))
        ])
    }

    /// Runs the perceptron rule over the samples in order, epoch after epoch,
    /// until an epoch makes no mistake or `maxEpochs` is reached.
    ///
    /// - Parameters:
    ///   - x: the (samples × inputs) inputs.
    ///   - t: the (samples × outputs) targets, 0 or 1.
    ///   - eta: the learning rate.
    ///   - maxEpochs: the most epochs to run.
    /// - Throws: ``ArgumentError`` unless `x` is (samples × inputs) and `t`
    ///   (samples × outputs).
    public mutating func train(
        inputs x: Matrix, targets t: Matrix, learningRate eta: Float = 1, maxEpochs: Int = 100
    ) throws(ArgumentError) -> Result {
        var layer = network.layers[0]
        try check(
            x.columns == layer.inputs && t.rows == x.rows && t.columns == layer.outputs, "Perceptron.train",
            "inputs \(x.shapeDescription) and targets \(t.shapeDescription) must be (samples × \(layer.inputs)) and (samples × \(layer.outputs))")
        var errors = 0
        for epoch in 1...max(1, maxEpochs) {
            errors = 0
            for i in 0..<x.rows {
                for j in 0..<layer.outputs {
                    var z = layer.bias![0, j]
                    for k in 0..<x.columns { z += x[i, k] * layer.weights[k, j] }
                    let error = t[i, j] - Activation.step(z)
                    guard error != 0 else { continue }
                    errors += 1
                    for k in 0..<x.columns { layer.weights[k, j] += eta * error * x[i, k] }
                    layer.bias![0, j] += eta * error
                }
            }
            if errors == 0 {
                network = Network(checkedLayers: [layer])
                return Result(converged: true, epochs: epoch, errors: 0)
            }
        }
        network = Network(checkedLayers: [layer])
        return Result(converged: false, epochs: max(1, maxEpochs), errors: errors)
    }
}
