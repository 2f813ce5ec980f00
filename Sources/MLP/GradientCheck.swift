import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Verifies backpropagation: compares the trainer's analytic gradients with
/// central finite differences of the loss computed entirely in `Double` by an
/// independent, naive forward pass.
public enum GradientCheck {
    /// The worst disagreement found.
    public struct Result: Sendable, CustomStringConvertible {
        /// max |analytic − numeric| / max(1, |numeric|) over every parameter.
        public var maxError: Double
        /// Where: layer, "weights" or "bias", and the element index.
        public var worst: String
        /// Parameters compared.
        public var parameters: Int

        /// A one-line summary.
        public var description: String { "max error \(maxError) at \(worst) over \(parameters) parameters" }
    }

    /// Checks every weight and bias of `network` on one batch.
    ///
    /// The analytic gradient comes from a ``Trainer`` (Float kernels,
    /// dropout off); the numeric one is (L(w + h) − L(w − h)) / 2h with L the
    /// loss plus the L1/L2 penalty in Double. Keep inputs away from the kinks
    /// of ReLU-like units (a difference across a kink is not a derivative).
    ///
    /// - Parameters:
    ///   - network: the network to check.
    ///   - loss: the loss.
    ///   - regularization: the penalty added to the loss.
    ///   - inputs: the batch's inputs.
    ///   - targets: the batch's targets.
    ///   - h: the finite-difference step.
    public static func run(
        network: Network, loss: Loss, regularization: Regularization = .none,
        inputs: Matrix, targets: Matrix, step h: Double = 1e-6
    ) throws -> Result {
        var penalties = regularization
        penalties.dropout = 0
        penalties.maxNorm = nil
        let trainer = try Trainer(network: network, loss: loss, optimizer: .sgd(learningRate: 0), regularization: penalties)
        trainer.threads = 1
        let analytic = try trainer.gradients(inputs: inputs, targets: targets)
        let reference = ReferenceNetwork(network)
        let x = (0..<inputs.rows).map { i in (0..<inputs.columns).map { Double(inputs[i, $0]) } }
        let t = (0..<targets.rows).map { i in (0..<targets.columns).map { Double(targets[i, $0]) } }

        var result = Result(maxError: 0, worst: "", parameters: 0)
        for l in network.layers.indices {
            for isBias in [false, true] {
                guard let count = isBias ? network.layers[l].bias?.count : network.layers[l].weights.count else { continue }
                for index in 0..<count {
                    var plus = reference, minus = reference
                    plus.nudge(layer: l, bias: isBias, index: index, by: h)
                    minus.nudge(layer: l, bias: isBias, index: index, by: -h)
                    let numeric = (plus.objective(x, t, loss, penalties) - minus.objective(x, t, loss, penalties)) / (2 * h)
                    let gradient = isBias ? analytic.layers[l].bias! : analytic.layers[l].weights
                    let value = Double(gradient.elements[index])
                    let error = abs(value - numeric) / max(1, abs(numeric))
                    result.parameters += 1
                    if error > result.maxError || result.worst.isEmpty {
                        result.maxError = error
                        result.worst = "layer \(l) \(isBias ? "bias" : "weights")[\(index)]"
                    }
                }
            }
        }
        return result
    }
}

/// A Double-precision copy of a network with a naive forward pass: the
/// independent side of ``GradientCheck``.
struct ReferenceNetwork {
    struct Layer {
        var weights: [Double]  // column-major (inputs × columns)
        var bias: [Double]?
        var inputs: Int, columns: Int
        var units: Units
    }

    var layers: [Layer]

    init(_ network: Network) {
        layers = network.layers.map {
            Layer(
                weights: $0.weights.elements.map(Double.init), bias: $0.bias?.elements.map(Double.init),
                inputs: $0.inputs, columns: $0.weights.columns, units: $0.units)
        }
    }

    mutating func nudge(layer l: Int, bias: Bool, index: Int, by h: Double) {
        if bias { layers[l].bias![index] += h } else { layers[l].weights[index] += h }
    }

    /// Mean loss over the samples plus the weight penalty.
    func objective(_ x: [[Double]], _ t: [[Double]], _ loss: Loss, _ regularization: Regularization) -> Double {
        var total = 0.0
        for (sample, target) in zip(x, t) {
            let (z, a) = forward(sample)
            total += Self.loss(loss, logits: z, outputs: a, target: target)
        }
        let outputs = Double(t.first?.count ?? 1), samples = Double(max(1, x.count))
        switch loss {
        case .sumOfSquares: break
        case .meanSquaredError, .sigmoidCrossEntropy: total /= samples * outputs
        case .softmaxCrossEntropy, .multiclassHinge: total /= samples
        }
        for layer in layers {
            for w in layer.weights {
                total += Double(regularization.l2) / 2 * w * w + Double(regularization.l1) * abs(w)
            }
        }
        return total
    }

    /// The last layer's pre-activations and outputs for one sample.
    func forward(_ sample: [Double]) -> (z: [Double], a: [Double]) {
        var input = sample, z: [Double] = []
        for layer in layers {
            z = (0..<layer.columns).map { j in
                var sum = layer.bias?[j] ?? 0
                for i in 0..<layer.inputs { sum += input[i] * layer.weights[i + j * layer.inputs] }
                return sum
            }
            input = Self.units(layer.units, z)
        }
        return (z, input)
    }

    static func units(_ units: Units, _ z: [Double]) -> [Double] {
        switch units {
        case .activation(let f): return z.map { activation(f, $0) }
        case .softmax:
            let m = z.max() ?? 0
            let e = z.map { exp($0 - m) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        case .maxout(let pieces):
            return stride(from: 0, to: z.count, by: pieces).map { z[$0..<($0 + pieces)].max()! }
        }
    }

    static func activation(_ f: Activation, _ z: Double) -> Double {
        switch f {
        case .identity: return z
        case .step: return z > 0 ? 1 : 0
        case .sigmoid: return 1 / (1 + exp(-z))
        case .tanh: return tanh(z)
        case .relu: return max(0, z)
        case .leakyReLU(let slope): return z > 0 ? z : Double(slope) * z
        case .softplus: return max(z, 0) + log1p(exp(-abs(z)))
        case .hardSigmoid: return min(1, max(0, z))
        case .gelu: return 0.5 * z * (1 + tanh(0.797_884_560_802_865_4 * (z + 0.044_715 * z * z * z)))
        }
    }

    static func loss(_ loss: Loss, logits z: [Double], outputs a: [Double], target t: [Double]) -> Double {
        switch loss {
        case .meanSquaredError, .sumOfSquares:
            return zip(a, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        case .softmaxCrossEntropy:
            let m = z.max()!
            let lse = m + log(z.reduce(0) { $0 + exp($1 - m) })
            return zip(z, t).reduce(0) { $0 + $1.1 * (lse - $1.0) }
        case .sigmoidCrossEntropy:
            return zip(z, t).reduce(0) { $0 + max($1.0, 0) + log1p(exp(-abs($1.0))) - $1.1 * $1.0 }
        case .multiclassHinge:
            let c = t.indices.max { t[$0] < t[$1] }!
            return a.indices.reduce(0) { $0 + ($1 == c ? 0 : max(0, 1 + a[$1] - a[c])) }
        }
    }
}
