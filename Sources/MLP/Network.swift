import Kernels

/// A multilayer perceptron: a stack of ``DenseLayer``s.
///
/// Samples are the **rows** of a (samples × features) `Matrix`; outputs are
/// (samples × outputs). A network is a value: copying it is O(1), and a trained
/// network is `Sendable` and safe to use from many threads at once: inference
/// allocates its buffers per call, or uses a ``PredictionWorkspace`` that the
/// calling thread owns.
public struct Network: Sendable, Equatable {
    /// The layers, input side first.
    public var layers: [DenseLayer]

    /// A network with the given layers.
    ///
    /// - Parameter layers: the layers, first to last.
    /// - Throws: ``ArgumentError`` when `layers` is empty, a layer's inputs
    ///   differ from the previous layer's outputs, or softmax units are not
    ///   the last layer's.
    public init(layers: [DenseLayer]) throws(ArgumentError) {
        try check(!layers.isEmpty, "Network", "layers is empty")
        for (index, (previous, next)) in zip(layers, layers.dropFirst()).enumerated() {
            try check(
                previous.outputs == next.inputs, "Network",
                "layers[\(index)] has \(previous.outputs) outputs but layers[\(index + 1)] takes \(next.inputs) inputs")
        }
        for (index, layer) in layers.dropLast().enumerated() {
            try check(layer.units != .softmax, "Network", "layers[\(index)] has softmax units; softmax is for the last layer only")
        }
        self.init(checkedLayers: layers)
    }

    /// A network of layers the caller has checked (one the library built).
    init(checkedLayers layers: [DenseLayer]) {
        self.layers = layers
    }

    /// A new network of `inputs` inputs and the given layers, its weights drawn
    /// from `seed` (the same seed gives the same network).
    ///
    /// - Parameters:
    ///   - inputs: the number of inputs.
    ///   - specs: the layers, first to last.
    ///   - seed: the seed the weights are drawn from.
    /// - Throws: ``ArgumentError`` when `inputs` or a layer's outputs is below
    ///   1, `layers` is empty, softmax units are not the last layer's, or the
    ///   weights would not fit in the machine's memory (``MemoryLimit``).
    public init(inputs: Int, layers specs: [LayerSpec], seed: UInt64) throws(ArgumentError) {
        try check(inputs >= 1, "Network", "inputs = \(inputs) must be ≥ 1")
        try check(!specs.isEmpty, "Network", "layers is empty")
        var parameters: Int? = 0
        var fanIn = inputs
        for (index, spec) in specs.enumerated() {
            try check(spec.outputs >= 1, "Network", "layers[\(index)] has \(spec.outputs) outputs; it needs at least 1")
            let (columns, overflow) = spec.outputs.multipliedReportingOverflow(by: spec.units.piecesPerUnit)
            try check(!overflow, "Network", "layers[\(index)]: \(spec.outputs) \(spec.units) units are more columns than Int can count")
            try check(
                index == specs.count - 1 || spec.units != .softmax, "Network",
                "layers[\(index)] has softmax units; softmax is for the last layer only")
            let (rows, o1) = fanIn.addingReportingOverflow(1)  // the weights and the bias row
            let (weights, o2) = rows.multipliedReportingOverflow(by: columns)
            let (sum, o3) = (parameters ?? 0).addingReportingOverflow(weights)
            parameters = parameters == nil || o1 || o2 || o3 ? nil : sum
            fanIn = spec.outputs
        }
        do {
            let bytes = parameters.flatMap { $0 <= Int.max / 4 ? 4 * $0 : nil }
            try MemoryLimit.check(bytes, for: "the network's weights and biases")
        } catch {
            throw ArgumentError("Network", "\(error)")
        }
        var generator = Xoshiro256(seed: seed)
        fanIn = inputs
        var layers: [DenseLayer] = []
        for spec in specs {
            let columns = spec.outputs * spec.units.piecesPerUnit
            let initialization = spec.initialization ?? .default(for: spec.units)
            let weights = initialization.weights(fanIn: fanIn, fanOut: spec.outputs, columns: columns, using: &generator)
            let bias = spec.hasBias ? Matrix(rows: 1, columns: columns, repeating: spec.initialBias) : nil
            layers.append(DenseLayer(checkedWeights: weights, bias: bias, units: spec.units))
            fanIn = spec.outputs
        }
        self.init(checkedLayers: layers)  // they chain by construction, and softmax was checked above
    }

    /// Inputs per sample.
    public var inputs: Int { layers[0].inputs }
    /// Outputs per sample.
    public var outputs: Int { layers[layers.count - 1].outputs }
    /// The number of weights and biases.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weights.count + ($1.bias?.count ?? 0) } }

    /// The outputs (softmax probabilities, sigmoid probabilities or linear
    /// values, per the last layer's units) for each row of `x`, (samples × outputs).
    ///
    /// - Parameters:
    ///   - x: the (samples × inputs) inputs.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have ``inputs`` columns.
    public func predict(_ x: Matrix, threads: Int? = nil) throws(ArgumentError) -> Matrix {
        try checkInputs(x, "Network.predict")
        return forward(x, threads: threads).outputs
    }

    /// The index of the largest output for each sample; with a single output,
    /// 1 where it is ≥ 0.5 (≥ 0 for linear units) and 0 elsewhere.
    ///
    /// - Parameters:
    ///   - x: the (samples × inputs) inputs.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have ``inputs`` columns.
    public func predictClasses(_ x: Matrix, threads: Int? = nil) throws(ArgumentError) -> [Int] {
        try checkInputs(x, "Network.predictClasses")
        return classes(of: forward(x, threads: threads).outputs)
    }

    /// Throws unless `x` is (samples × ``inputs``).
    func checkInputs(_ x: Matrix, _ function: String) throws(ArgumentError) {
        try check(x.columns == inputs, function, "x is \(x.shapeDescription); the network takes \(inputs) inputs, so x needs \(inputs) columns")
    }

    /// Whether the network is a regression model: linear output units.
    public var isRegression: Bool { layers[layers.count - 1].units == .linear }

    /// The mean loss on (`x`, `targets`) and, for a classifier, the accuracy;
    /// for a regression model (``isRegression``), MSE, MAE and R² instead.
    ///
    /// The cross-entropy losses are computed from the last layer's logits.
    ///
    /// - Parameters:
    ///   - x: the (samples × inputs) inputs.
    ///   - targets: the (samples × outputs) targets.
    ///   - loss: the loss to report.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have ``inputs`` columns
    ///   or `targets` is not (`x.rows` × ``outputs``).
    public func evaluate(_ x: Matrix, targets: Matrix, loss: Loss, threads: Int? = nil) throws(ArgumentError) -> Evaluation {
        try checkInputs(x, "Network.evaluate")
        try check(
            targets.rows == x.rows && targets.columns == outputs, "Network.evaluate",
            "targets are \(targets.shapeDescription); x \(x.shapeDescription) and \(outputs) outputs need (\(x.rows) × \(outputs))")
        return checkedEvaluation(x, targets: targets, loss: loss, threads: threads)
    }

    /// ``evaluate(_:targets:loss:threads:)`` of shapes the caller has checked.
    func checkedEvaluation(_ x: Matrix, targets: Matrix, loss: Loss, threads: Int?) -> Evaluation {
        let (outputs, logits) = forward(x, threads: threads)
        let value = loss(loss.takesLogits ? logits : outputs, targets)
        if isRegression {
            return Evaluation(loss: value, accuracy: nil, regression: RegressionMetrics(checkedPredicted: outputs, targets: targets))
        }
        let predicted = classes(of: outputs), expected = classes(of: targets, threshold: 0.5)
        let correct = zip(predicted, expected).filter { $0 == $1 }.count
        return Evaluation(loss: value, accuracy: x.rows == 0 ? 0 : Double(correct) / Double(x.rows), regression: nil)
    }

    /// Class indices of (samples × outputs) values: the arg-max per row, or a
    /// threshold for a single column.
    func classes(of values: Matrix, threshold: Float? = nil) -> [Int] {
        let cut = threshold ?? layers[layers.count - 1].units.decisionThreshold
        return (0..<values.rows).map { i in
            if values.columns == 1 { return values[i, 0] >= cut ? 1 : 0 }
            var best = 0
            for j in 1..<values.columns where values[i, j] > values[i, best] { best = j }
            return best
        }
    }
}
