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

    /// The base learning rate η (before any schedule).
    public var learningRate: Float {
        switch self {
        case .sgd(let lr), .momentum(let lr, _), .nesterov(let lr, _), .adaGrad(let lr, _), .rmsProp(let lr, _, _),
            .adam(let lr, _, _, _), .adamW(let lr, _, _, _, _):
            return lr
        }
    }

    /// State tensors per parameter tensor (momentum buffers, moments).
    var stateSlots: Int {
        switch self {
        case .sgd: return 0
        case .momentum, .nesterov, .adaGrad, .rmsProp: return 1
        case .adam, .adamW: return 2
        }
    }

    /// A short name: `sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`, `adamw`.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .momentum: return "momentum"
        case .nesterov: return "nesterov"
        case .adaGrad: return "adagrad"
        case .rmsProp: return "rmsprop"
        case .adam: return "adam"
        case .adamW: return "adamw"
        }
    }

    /// Updates `count` parameters `w` from gradients `g`, with learning rate
    /// `lr` (the schedule's) at step `t` (1-based), and returns Σ Δw².
    func update(
        count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?, lr: Float, step t: Int, decays: Bool
    ) -> Double {
        let eta = Vector(repeating: lr)
        let tensor = Tensor(count: count, w: w, g: g, s1: s1, s2: s2)
        switch self {
        case .sgd:
            return tensor.update(SGDRule(eta: eta))
        case .momentum(_, let alpha):
            return tensor.update(MomentumRule(eta: eta, alpha: Vector(repeating: alpha), nesterov: false))
        case .nesterov(_, let alpha):
            return tensor.update(MomentumRule(eta: eta, alpha: Vector(repeating: alpha), nesterov: true))
        case .adaGrad(_, let epsilon):
            return tensor.update(AdaGradRule(eta: eta, epsilon: Vector(repeating: epsilon)))
        case .rmsProp(_, let rho, let epsilon):
            return tensor.update(RMSPropRule(eta: eta, rho: Vector(repeating: rho), epsilon: Vector(repeating: epsilon)))
        case .adam(_, let beta1, let beta2, let epsilon), .adamW(_, let beta1, let beta2, let epsilon, _):
            let correction1 = 1 - Float(pow(Double(beta1), Double(t)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(t)))
            var decay: Float = 0
            if case .adamW(_, _, _, _, let lambda) = self, decays { decay = lr * lambda }
            return tensor.update(AdamRule(
                beta1: Vector(repeating: beta1), beta2: Vector(repeating: beta2), epsilon: Vector(repeating: epsilon),
                stepSize: Vector(repeating: lr / correction1), root2: Vector(repeating: 1 / correction2.squareRoot()),
                decay: Vector(repeating: decay)))
        }
    }
}

typealias Vector = SIMD8<Float>

/// One optimizer's per-element rule: the change Δw from w, g and its state.
/// A type rather than a closure, so the loop inlines it (a closure was called
/// once per vector: 23% of a training step of network B).
protocol UpdateRule {
    func delta(w: Vector, g: Vector, s1: inout Vector, s2: inout Vector) -> Vector
}

struct SGDRule: UpdateRule {
    let eta: Vector
    @inline(__always) func delta(w: Vector, g: Vector, s1: inout Vector, s2: inout Vector) -> Vector { -eta * g }
}

struct MomentumRule: UpdateRule {
    let eta: Vector, alpha: Vector, nesterov: Bool
    @inline(__always) func delta(w: Vector, g: Vector, s1 v: inout Vector, s2: inout Vector) -> Vector {
        v = alpha * v - eta * g
        return nesterov ? alpha * v - eta * g : v
    }
}

struct AdaGradRule: UpdateRule {
    let eta: Vector, epsilon: Vector
    @inline(__always) func delta(w: Vector, g: Vector, s1 sum: inout Vector, s2: inout Vector) -> Vector {
        sum += g * g
        return -eta * g / (sum.squareRoot() + epsilon)
    }
}

struct RMSPropRule: UpdateRule {
    let eta: Vector, rho: Vector, epsilon: Vector
    @inline(__always) func delta(w: Vector, g: Vector, s1 mean: inout Vector, s2: inout Vector) -> Vector {
        mean = rho * mean + (1 - rho) * (g * g)
        return -eta * g / (mean.squareRoot() + epsilon)
    }
}

struct AdamRule: UpdateRule {
    let beta1: Vector, beta2: Vector, epsilon: Vector, stepSize: Vector, root2: Vector, decay: Vector
    @inline(__always) func delta(w: Vector, g: Vector, s1 m: inout Vector, s2 v: inout Vector) -> Vector {
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        return -stepSize * m / ((v.squareRoot() * root2) + epsilon) - decay * w
    }
}

/// One parameter tensor with its gradient and optimizer state.
struct Tensor {
    let count: Int
    let w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>
    let s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?

    /// Applies `rule` to every element, 8 at a time, then the tail through a
    /// zero-padded vector (a separate step: with partial loads in the main
    /// loop LLVM split the vector code into lanes); returns Σ Δw².
    @inline(__always)
    func update<Rule: UpdateRule>(_ rule: Rule) -> Double {
        var squares = Vector()
        let full = count / 8 * 8
        var i = 0
        while i < full {
            squares += element(rule, i, 8)
            i += 8
        }
        if full < count { squares += element(rule, full, count - full) }
        return Double(squares.sum())
    }

    /// Updates the `n` ≤ 8 elements at `i`; returns Δw².
    @inline(__always)
    private func element<Rule: UpdateRule>(_ rule: Rule, _ i: Int, _ n: Int) -> Vector {
        var a = load(s1, i, n), b = load(s2, i, n)
        let old = load(w, i, n)
        let delta = rule.delta(w: old, g: load(UnsafeMutablePointer(mutating: g), i, n), s1: &a, s2: &b)
        store(old + delta, w, i, n)
        if let s1 { store(a, s1, i, n) }
        if let s2 { store(b, s2, i, n) }
        return delta * delta
    }

    @inline(__always)
    private func load(_ p: UnsafeMutablePointer<Float>?, _ i: Int, _ n: Int) -> Vector {
        guard let p else { return Vector() }
        if n == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: Vector.self) }
        var v = Vector()
        for l in 0..<n { v[l] = p[i + l] }
        return v
    }

    @inline(__always)
    private func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
        if n == 8 {
            UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Vector.self)
        } else {
            for l in 0..<n { p[i + l] = v[l] }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
