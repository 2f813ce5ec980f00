import KernelsCore

/// The optimizers' per-element loops over one run of a parameter buffer.
enum UpdateKernels {
    /// Applies `rule` to the `count` parameters at `w` with gradients `g`
    /// and state `s1`, `s2` (as many as the rule uses); returns Σ Δw².
    static func update(
        _ rule: UpdateRule, count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?
    ) -> Double {
        let tensor = Tensor(count: count, w: w, g: g, s1: s1, s2: s2)
        switch rule {
        case .sgd(let eta):
            return tensor.update(SGDRule(eta: UpdateVector(repeating: eta)))
        case .momentum(let eta, let alpha, let nesterov):
            return tensor.update(MomentumRule(eta: UpdateVector(repeating: eta), alpha: UpdateVector(repeating: alpha), nesterov: nesterov))
        case .adaGrad(let eta, let epsilon):
            return tensor.update(AdaGradRule(eta: UpdateVector(repeating: eta), epsilon: UpdateVector(repeating: epsilon)))
        case .rmsProp(let eta, let rho, let epsilon):
            return tensor.update(
                RMSPropRule(eta: UpdateVector(repeating: eta), rho: UpdateVector(repeating: rho), epsilon: UpdateVector(repeating: epsilon)))
        case .adam(let beta1, let beta2, let epsilon, let stepSize, let root2, let decay):
            return tensor.update(
                AdamRule(
                    beta1: UpdateVector(repeating: beta1), beta2: UpdateVector(repeating: beta2), epsilon: UpdateVector(repeating: epsilon),
                    stepSize: UpdateVector(repeating: stepSize), root2: UpdateVector(repeating: root2), decay: UpdateVector(repeating: decay)))
        case .deltaBarDelta(let eta, let kappa, let phi, let theta):
            return tensor.update(
                DeltaBarDeltaRule(
                    eta: UpdateVector(repeating: eta), kappa: UpdateVector(repeating: kappa), phi: UpdateVector(repeating: phi),
                    theta: UpdateVector(repeating: theta)))
        }
    }

    /// Σ x² over `count` floats: eight lanes of partial sums, then the tail.
    static func sumOfSquares(count: Int, _ x: UnsafePointer<Float>) -> Double {
        var sum = UpdateVector()
        let full = count / 8 * 8
        var i = 0
        while i < full {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: UpdateVector.self)
            sum += v * v
            i += 8
        }
        var total = Double(sum.sum())
        for i in full..<count { total += Double(x[i] * x[i]) }
        return total
    }
}

typealias UpdateVector = SIMD8<Float>

/// One optimizer's per-element rule: the change Δw from w, g and its state.
/// A type rather than a closure, so the loop inlines it (a closure was called
/// once per vector: 23% of a training step of network B).
protocol ElementRule {
    func delta(w: UpdateVector, g: UpdateVector, s1: inout UpdateVector, s2: inout UpdateVector) -> UpdateVector
}

struct SGDRule: ElementRule {
    let eta: UpdateVector
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1: inout UpdateVector, s2: inout UpdateVector) -> UpdateVector { -eta * g }
}

struct MomentumRule: ElementRule {
    let eta: UpdateVector, alpha: UpdateVector, nesterov: Bool
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1 v: inout UpdateVector, s2: inout UpdateVector) -> UpdateVector {
        v = alpha * v - eta * g
        return nesterov ? alpha * v - eta * g : v
    }
}

struct AdaGradRule: ElementRule {
    let eta: UpdateVector, epsilon: UpdateVector
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1 sum: inout UpdateVector, s2: inout UpdateVector) -> UpdateVector {
        sum += g * g
        return -eta * g / (sum.squareRoot() + epsilon)
    }
}

struct RMSPropRule: ElementRule {
    let eta: UpdateVector, rho: UpdateVector, epsilon: UpdateVector
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1 mean: inout UpdateVector, s2: inout UpdateVector) -> UpdateVector {
        mean = rho * mean + (1 - rho) * (g * g)
        return -eta * g / (mean.squareRoot() + epsilon)
    }
}

struct AdamRule: ElementRule {
    let beta1: UpdateVector, beta2: UpdateVector, epsilon: UpdateVector, stepSize: UpdateVector, root2: UpdateVector, decay: UpdateVector
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1 m: inout UpdateVector, s2 v: inout UpdateVector) -> UpdateVector {
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        return -stepSize * m / ((v.squareRoot() * root2) + epsilon) - decay * w
    }
}

struct DeltaBarDeltaRule: ElementRule {
    let eta: UpdateVector, kappa: UpdateVector, phi: UpdateVector, theta: UpdateVector
    @inline(__always) func delta(w: UpdateVector, g: UpdateVector, s1 offset: inout UpdateVector, s2 smoothed: inout UpdateVector) -> UpdateVector {
        var rate = eta + offset
        let agreement = smoothed * g
        rate = rate.replacing(with: rate + kappa, where: agreement .> 0)
        rate = rate.replacing(with: rate - phi * rate, where: agreement .< 0)
        offset = rate - eta
        smoothed = (1 - theta) * g + theta * smoothed
        return -rate * g
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
    func update<Rule: ElementRule>(_ rule: Rule) -> Double {
        var squares = UpdateVector()
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
    private func element<Rule: ElementRule>(_ rule: Rule, _ i: Int, _ n: Int) -> UpdateVector {
        var a = load(s1, i, n), b = load(s2, i, n)
        let old = load(w, i, n)
        let delta = rule.delta(w: old, g: load(UnsafeMutablePointer(mutating: g), i, n), s1: &a, s2: &b)
        store(old + delta, w, i, n)
        if let s1 { store(a, s1, i, n) }
        if let s2 { store(b, s2, i, n) }
        return delta * delta
    }

    @inline(__always)
    private func load(_ p: UnsafeMutablePointer<Float>?, _ i: Int, _ n: Int) -> UpdateVector {
        guard let p else { return UpdateVector() }
        if n == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: UpdateVector.self) }
        var v = UpdateVector()
        for l in 0..<n { v[l] = p[i + l] }
        return v
    }

    @inline(__always)
    private func store(_ v: UpdateVector, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
        if n == 8 {
            UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: UpdateVector.self)
        } else {
            for l in 0..<n { p[i + l] = v[l] }
        }
    }
}
