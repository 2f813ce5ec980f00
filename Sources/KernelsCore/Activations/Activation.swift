/// An elementwise activation function a = f(z) of a neural-network layer.
///
/// Each has a vectorized forward kernel and a derivative f′ that reads
/// whichever of z and a is cheaper; formulas, accuracy bounds and saturation
/// behaviour are in Docs/Kernels.md. NaN in gives NaN out, for f and f′.
public enum Activation: Sendable, Hashable {
    /// f(z) = z; f′ = 1.
    case identity
    /// The unit step: 1 for z > 0, else 0 (Rosenblatt's perceptron). f′ = 0
    /// almost everywhere, so gradients do not flow through it.
    case step
    /// The logistic function σ(z) = 1 / (1 + e⁻ᶻ); f′ = a·(1 − a).
    case sigmoid
    /// tanh z; f′ = 1 − a².
    case tanh
    /// max(0, z); f′ = 1 for z > 0, else 0.
    case relu
    /// z for z > 0, else `slope`·z; f′ = 1 or `slope`.
    case leakyReLU(slope: Float = 0.01)
    /// ζ(z) = ln(1 + eᶻ); f′ = σ(z).
    case softplus
    /// max(0, min(1, z)); f′ = 1 for 0 < z < 1, else 0.
    case hardSigmoid
    /// GELU, tanh form: z·½(1 + tanh(√(2/π)(z + 0.044715 z³))).
    case gelu

    /// Every activation, with the default leaky-ReLU slope.
    public static let allCases: [Activation] = [
        .identity, .step, .sigmoid, .tanh, .relu, .leakyReLU(), .softplus, .hardSigmoid, .gelu,
    ]

    /// Whether f′ is useful for gradient descent (false for the step).
    public var isDifferentiable: Bool { self != .step }
}

extension Activation: CustomStringConvertible {
    /// The name used by the command line and model files, e.g. `leaky-relu(0.01)`.
    public var description: String {
        switch self {
        case .identity: return "identity"
        case .step: return "step"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyReLU(let slope): return "leaky-relu(\(slope))"
        case .softplus: return "softplus"
        case .hardSigmoid: return "hard-sigmoid"
        case .gelu: return "gelu"
        }
    }
}
