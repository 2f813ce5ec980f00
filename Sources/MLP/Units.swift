import Kernels

/// What a dense layer's units compute from their pre-activations z = x·W + b.
public enum Units: Sendable, Hashable {
    /// a = f(z) elementwise; `.identity` is a linear output.
    case activation(Activation)
    /// Maxout: each unit is the maximum of `pieces` linear pieces, so the layer
    /// has `pieces` × units columns of weights (unit j uses columns j·pieces ..<
    /// (j + 1)·pieces).
    case maxout(pieces: Int)
    /// Softmax over the layer's units, per sample: an output layer only.
    case softmax

    /// Linear output units.
    public static let linear = Units.activation(.identity)

    /// Columns of z per unit.
    var piecesPerUnit: Int {
        if case .maxout(let pieces) = self { return pieces }
        return 1
    }

    /// The output above which a single output unit means class 1: 0 for
    /// outputs centred on zero (linear, tanh), ½ otherwise.
    var decisionThreshold: Float {
        self == .linear || self == .activation(.tanh) ? 0 : 0.5
    }
}

extension Units: CustomStringConvertible {
    /// `relu`, `maxout(3)`, `softmax`, …: the names the command line and model files use.
    public var description: String {
        switch self {
        case .activation(let f): return "\(f)"
        case .maxout(let pieces): return "maxout(\(pieces))"
        case .softmax: return "softmax"
        }
    }

    /// The most pieces a maxout unit may have.
    public static let maximumPieces = 1024

    /// Parses a name written by `description` (`leaky-relu` alone means slope
    /// 0.01); a non-finite slope or more than ``maximumPieces`` pieces is not a name.
    ///
    /// - Parameter name: a name such as `relu`, `leaky-relu`, `maxout(3)` or `softmax`.
    public init?(_ name: String) {
        switch name {
        case "identity", "linear": self = .linear
        case "step": self = .activation(.step)
        case "sigmoid": self = .activation(.sigmoid)
        case "tanh": self = .activation(.tanh)
        case "relu": self = .activation(.relu)
        case "leaky-relu": self = .activation(.leakyReLU())
        case "softplus": self = .activation(.softplus)
        case "hard-sigmoid": self = .activation(.hardSigmoid)
        case "gelu": self = .activation(.gelu)
        case "softmax": self = .softmax
        default:
            if let inner = Units.argument(of: name, prefix: "leaky-relu"), let slope = Float(inner), slope.isFinite {
                self = .activation(.leakyReLU(slope: slope))
            } else if let inner = Units.argument(of: name, prefix: "maxout"), let pieces = Int(inner), (1...Units.maximumPieces).contains(pieces) {
                self = .maxout(pieces: pieces)
            } else {
                return nil
            }
        }
    }

    private static func argument(of name: String, prefix: String) -> Substring? {
        guard name.hasPrefix(prefix + "("), name.hasSuffix(")") else { return nil }
        return name.dropFirst(prefix.count + 1).dropLast()
    }
}
