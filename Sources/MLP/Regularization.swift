/// Penalties and constraints on the weights (never on biases), and dropout.
///
/// The penalty added to the loss is λ₂/2·‖W‖² + λ₁·‖W‖₁, so the gradient gains
/// λ₂·W + λ₁·sign(W); elastic net is both at once.
public struct Regularization: Sendable, Hashable {
    /// λ₂: L2 penalty (weight decay) coefficient.
    public var l2: Float
    /// λ₁: L1 penalty coefficient.
    public var l1: Float
    /// After each update, every unit's incoming weight vector is scaled down
    /// to this Euclidean norm if it is longer; `nil` for no constraint.
    public var maxNorm: Float?
    /// The probability of dropping each hidden unit's output during training
    /// (inverted dropout: kept outputs are scaled by 1/(1 − p)); 0 for none.
    public var dropout: Float

    /// Creates a regularization; every default is "none". The values are
    /// checked when a ``Trainer`` is created (``problem``).
    ///
    /// - Parameters:
    ///   - l2: the weight decay λ₂ of the penalty λ₂/2·Σw².
    ///   - l1: the λ₁ of the penalty λ₁·Σ|w|.
    ///   - maxNorm: the largest Euclidean norm of a unit's incoming weights, or `nil` for none.
    ///   - dropout: the probability of dropping each hidden unit's output during training; 0 for none.
    public init(l2: Float = 0, l1: Float = 0, maxNorm: Float? = nil, dropout: Float = 0) {
        self.l2 = l2
        self.l1 = l1
        self.maxNorm = maxNorm
        self.dropout = dropout
    }

    /// No regularization.
    public static let none = Regularization()

    /// What is wrong with these values, or `nil`: coefficients must be finite
    /// and ≥ 0, the max norm finite and > 0, dropout in [0, 1).
    public var problem: String? {
        if !(l2.isFinite && l2 >= 0) { return "l2 = \(l2) must be finite and ≥ 0" }
        if !(l1.isFinite && l1 >= 0) { return "l1 = \(l1) must be finite and ≥ 0" }
        if let maxNorm, !(maxNorm.isFinite && maxNorm > 0) { return "maxNorm = \(maxNorm) must be finite and > 0" }
        if !(dropout >= 0 && dropout < 1) { return "dropout = \(dropout) must be in [0, 1)" }
        return nil
    }

    /// Elastic net: L1 and L2 together.
    ///
    /// - Parameters:
    ///   - l1: the λ₁ of the penalty λ₁·Σ|w|.
    ///   - l2: the weight decay λ₂ of the penalty λ₂/2·Σw².
    public static func elasticNet(l1: Float, l2: Float) -> Regularization { Regularization(l2: l2, l1: l1) }

    /// The penalty λ₂/2·Σw² + λ₁·Σ|w| over `count` weights.
    func penalty(_ w: UnsafePointer<Float>, count: Int) -> Double {
        guard l1 != 0 || l2 != 0 else { return 0 }
        var squares = 0.0, absolutes = 0.0
        for i in 0..<count {
            squares += Double(w[i]) * Double(w[i])
            absolutes += Double(abs(w[i]))
        }
        return Double(l2) / 2 * squares + Double(l1) * absolutes
    }

    /// g ← g + λ₂·w + λ₁·sign(w).
    func addGradient(_ w: UnsafePointer<Float>, to g: UnsafeMutablePointer<Float>, count: Int) {
        guard l1 != 0 || l2 != 0 else { return }
        for i in 0..<count {
            let sign: Float = w[i] > 0 ? 1 : (w[i] < 0 ? -1 : 0)
            g[i] += l2 * w[i] + l1 * sign
        }
    }

    /// Scales each column of the (rows × columns) weights to norm ≤ maxNorm.
    func constrain(_ w: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        guard let maxNorm else { return }
        for j in 0..<columns {
            let column = w + j * rows
            var squares: Float = 0
            for i in 0..<rows { squares += column[i] * column[i] }
            let norm = squares.squareRoot()
            if norm > maxNorm {
                let scale = maxNorm / norm
                for i in 0..<rows { column[i] *= scale }
            }
        }
    }
}
