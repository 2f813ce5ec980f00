/// One optimizer step's per-element rule, with its scalars already worked
/// out for this step (learning rate from the schedule, bias corrections):
/// what the vector code of a variant needs to update a parameter tensor.
/// MLP's `Optimizer` builds it; the variants apply it.
package enum UpdateRule: Sendable {
    /// Δw = −η·g.
    case sgd(eta: Float)
    /// v ← α·v − η·g; Δw = v, or α·v − η·g (Nesterov).
    case momentum(eta: Float, alpha: Float, nesterov: Bool)
    /// G ← G + g²; Δw = −η·g / (√G + ε).
    case adaGrad(eta: Float, epsilon: Float)
    /// E ← ρ·E + (1 − ρ)·g²; Δw = −η·g / (√E + ε).
    case rmsProp(eta: Float, rho: Float, epsilon: Float)
    /// m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²;
    /// Δw = −stepSize·m / (√v·root2 + ε) − decay·w.
    case adam(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, root2: Float, decay: Float)
    /// Delta-bar-delta (Jacobs 1988), the rate kept as r = η + s₁ so that
    /// zeroed state starts every rate at η: with δ̄ = s₂ the smoothed past
    /// gradient, r ← r + κ when δ̄·g > 0, r ← r − φ·r when δ̄·g < 0;
    /// Δw = −r·g; δ̄ ← (1 − θ)·g + θ·δ̄.
    case deltaBarDelta(eta: Float, kappa: Float, phi: Float, theta: Float)
}
