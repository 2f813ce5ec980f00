import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How parameters move given their gradients.
///
/// Every optimizer works in place on each parameter tensor with its own state
/// (moments), in a fixed order, so training is deterministic.
public enum Optimizer: Sendable, Hashable {
    /// w ← w − η·g. With the whole dataset as one batch this is full-batch
    /// gradient descent; with minibatches, SGD.
    case sgd(learningRate: Float)
    /// Δw ← −η·g + α·Δw, w ← w + Δw.
    case momentum(learningRate: Float, momentum: Float = 0.9)
    /// Nesterov's accelerated gradient: v ← α·v − η·g, w ← w + α·v − η·g.
    case nesterov(learningRate: Float, momentum: Float = 0.9)
    /// G ← G + g², w ← w − η·g / (√G + ε).
    case adaGrad(learningRate: Float = 0.01, epsilon: Float = 1e-10)
    /// E ← ρ·E + (1 − ρ)·g², w ← w − η·g / (√E + ε).
    case rmsProp(learningRate: Float = 0.001, decay: Float = 0.99, epsilon: Float = 1e-8)
    /// Kingma & Ba, with bias correction.
    case adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
    /// Adam with decoupled weight decay (Loshchilov & Hutter): w ← w − η·λ·w, then the Adam step.
    case adamW(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)
    /// Delta-bar-delta (Jacobs 1988): a learning rate per parameter, starting
    /// at η, that grows by `increment` κ while the gradient agrees in sign with
    /// its exponential average δ̄ (factor `smoothing` θ) and shrinks by the
    /// fraction `decrement` φ when it disagrees; w ← w − r·g with the new rate r,
    /// then δ̄ ← (1 − θ)·g + θ·δ̄. Meant for full batches, where the sign of the
    /// gradient is not noise.
    case deltaBarDelta(learningRate: Float = 0.01, increment: Float = 0.001, decrement: Float = 0.1, smoothing: Float = 0.7)

    /// The base learning rate η (before any schedule).
    public var learningRate: Float {
        switch self {
        case .sgd(let lr), .momentum(let lr, _), .nesterov(let lr, _), .adaGrad(let lr, _), .rmsProp(let lr, _, _),
            .adam(let lr, _, _, _), .adamW(let lr, _, _, _, _), .deltaBarDelta(let lr, _, _, _):
            return lr
        }
    }

    /// State tensors per parameter tensor (momentum buffers, moments).
    var stateSlots: Int {
        switch self {
        case .sgd: return 0
        case .momentum, .nesterov, .adaGrad, .rmsProp: return 1
        case .adam, .adamW, .deltaBarDelta: return 2
        }
    }

    /// What is wrong with the parameters, or `nil`: the learning rate must be
    /// finite and ≥ 0 (0 computes gradients without moving), momentum and
    /// decay factors in [0, 1), ε finite and > 0, weight decay and κ finite
    /// and ≥ 0, φ and θ in [0, 1].
    public var problem: String? {
        func check(_ name: String, _ value: Float, _ valid: Bool, _ rule: String) -> String? {
            valid && value.isFinite ? nil : "\(self.name): \(name) = \(value) must be \(rule)"
        }
        let unit: (Float) -> Bool = { $0 >= 0 && $0 < 1 }
        var checks = [check("learning rate", learningRate, learningRate >= 0, "finite and ≥ 0")]
        switch self {
        case .sgd: break
        case .momentum(_, let m), .nesterov(_, let m): checks.append(check("momentum", m, unit(m), "in [0, 1)"))
        case .adaGrad(_, let e): checks.append(check("epsilon", e, e > 0, "finite and > 0"))
        case .rmsProp(_, let d, let e): checks += [check("decay", d, unit(d), "in [0, 1)"), check("epsilon", e, e > 0, "finite and > 0")]
        case .adam(_, let b1, let b2, let e), .adamW(_, let b1, let b2, let e, _):
            checks += [check("beta1", b1, unit(b1), "in [0, 1)"), check("beta2", b2, unit(b2), "in [0, 1)"), check("epsilon", e, e > 0, "finite and > 0")]
            if case .adamW(_, _, _, _, let w) = self { checks.append(check("weight decay", w, w >= 0, "finite and ≥ 0")) }
        case .deltaBarDelta(_, let k, let p, let t):
            checks += [
                check("increment", k, k >= 0, "finite and ≥ 0"), check("decrement", p, p >= 0 && p <= 1, "in [0, 1]"),
                check("smoothing", t, t >= 0 && t <= 1, "in [0, 1]"),
            ]
        }
        return checks.compactMap { $0 }.first
    }

    /// A short name: `sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`, `adamw`, `delta-bar-delta`.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .momentum: return "momentum"
        case .nesterov: return "nesterov"
        case .adaGrad: return "adagrad"
        case .rmsProp: return "rmsprop"
        case .adam: return "adam"
        case .adamW: return "adamw"
        case .deltaBarDelta: return "delta-bar-delta"
        }
    }

    /// Updates `count` parameters `w` from gradients `g`, with learning rate
    /// `lr` (the schedule's) at step `t` (1-based), and returns Σ Δw².
    func update(
        count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?, lr: Float, step t: Int, decays: Bool
    ) -> Double {
        ParameterUpdate.apply(rule(lr: lr, step: t, decays: decays), count: count, w: w, g: g, s1: s1, s2: s2)
    }

    /// The per-element rule of step `t` (1-based) at learning rate `lr`.
    private func rule(lr: Float, step t: Int, decays: Bool) -> UpdateRule {
        switch self {
        case .sgd:
            return .sgd(eta: lr)
        case .momentum(_, let alpha):
            return .momentum(eta: lr, alpha: alpha, nesterov: false)
        case .nesterov(_, let alpha):
            return .momentum(eta: lr, alpha: alpha, nesterov: true)
        case .adaGrad(_, let epsilon):
            return .adaGrad(eta: lr, epsilon: epsilon)
        case .rmsProp(_, let rho, let epsilon):
            return .rmsProp(eta: lr, rho: rho, epsilon: epsilon)
        case .deltaBarDelta(_, let kappa, let phi, let theta):
            return .deltaBarDelta(eta: lr, kappa: kappa, phi: phi, theta: theta)
        case .adam(_, let beta1, let beta2, let epsilon), .adamW(_, let beta1, let beta2, let epsilon, _):
            let correction1 = 1 - Float(pow(Double(beta1), Double(t)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(t)))
            var decay: Float = 0
            if case .adamW(_, _, _, _, let lambda) = self, decays { decay = lr * lambda }
            return .adam(
                beta1: beta1, beta2: beta2, epsilon: epsilon, stepSize: lr / correction1,
                root2: 1 / correction2.squareRoot(), decay: decay)
        }
    }
}
