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
        typealias V = SIMD8<Float>
        var squares = V()
        /// Applies `body(w, g, s1, s2) -> Δw` over whole vectors, then the tail lane by lane.
        func each(_ body: (V, V, inout V, inout V) -> V) {
            let full = count / 8 * 8
            var i = 0
            while i < full {
                var a = s1.map { UnsafeRawPointer($0 + i).loadUnaligned(as: V.self) } ?? V()
                var b = s2.map { UnsafeRawPointer($0 + i).loadUnaligned(as: V.self) } ?? V()
                let old = UnsafeRawPointer(w + i).loadUnaligned(as: V.self)
                let delta = body(old, UnsafeRawPointer(g + i).loadUnaligned(as: V.self), &a, &b)
                UnsafeMutableRawPointer(w + i).storeBytes(of: old + delta, as: V.self)
                if let s1 { UnsafeMutableRawPointer(s1 + i).storeBytes(of: a, as: V.self) }
                if let s2 { UnsafeMutableRawPointer(s2 + i).storeBytes(of: b, as: V.self) }
                squares += delta * delta
                i += 8
            }
            for i in full..<count {
                var a = V(repeating: s1?[i] ?? 0), b = V(repeating: s2?[i] ?? 0)
                let delta = body(V(repeating: w[i]), V(repeating: g[i]), &a, &b)[0]
                w[i] += delta
                s1?[i] = a[0]
                s2?[i] = b[0]
                squares[0] += delta * delta
            }
        }
        let eta = V(repeating: lr)
        switch self {
        case .sgd:
            each { _, g, _, _ in -eta * g }
        case .momentum(_, let alpha):
            each { _, g, v, _ in
                v = alpha * v - eta * g
                return v
            }
        case .nesterov(_, let alpha):
            each { _, g, v, _ in
                v = alpha * v - eta * g
                return alpha * v - eta * g
            }
        case .adaGrad(_, let epsilon):
            each { _, g, sum, _ in
                sum += g * g
                return -eta * g / (sum.squareRoot() + epsilon)
            }
        case .rmsProp(_, let rho, let epsilon):
            each { _, g, mean, _ in
                mean = rho * mean + (1 - rho) * (g * g)
                return -eta * g / (mean.squareRoot() + epsilon)
            }
        case .adam(_, let beta1, let beta2, let epsilon), .adamW(_, let beta1, let beta2, let epsilon, _):
            let correction1 = 1 - Float(pow(Double(beta1), Double(t)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(t)))
            var decay: Float = 0
            if case .adamW(_, _, _, _, let lambda) = self, decays { decay = lr * lambda }
            let stepSize = V(repeating: lr / correction1), root2 = V(repeating: 1 / correction2.squareRoot())
            each { w, g, m, v in
                m = beta1 * m + (1 - beta1) * g
                v = beta2 * v + (1 - beta2) * (g * g)
                return -stepSize * m / ((v.squareRoot() * root2) + epsilon) - decay * w
            }
        }
        return Double(squares.sum())
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
