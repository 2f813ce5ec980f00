import Foundation
import Kernels
import Testing

/// Accuracy of the elementwise kernels against `Double` references, in ULPs of
/// the correctly rounded `Float` result (Docs/Kernels.md states the bounds).
@Suite("Elementwise accuracy")
struct ActivationAccuracyTests {
    /// A dense sweep of [−120, 120], every binade from the smallest subnormal
    /// to the largest float with both signs, and the named extremes.
    static let inputs: [Float] = {
        var xs: [Float] = []
        var x: Float = -120
        while x < 120 {
            xs.append(x)
            x += 0.000_977
        }
        for e in -149...127 {
            for significand: Float in [1, 1.3, 1.999] {
                xs.append(Float(sign: .plus, exponent: e, significand: significand))
                xs.append(Float(sign: .minus, exponent: e, significand: significand))
            }
        }
        return xs + [0, -0.0, Float(1e-40 as Double), -Float(1e-40 as Double), 88, -88, 88.72, 89, -103.9, -104, 100, -100, .infinity, -.infinity]
    }()

    /// Error of `y` in units of the last place of `reference` rounded to Float
    /// (the subnormal spacing below the normal range); 0 when both are NaN or
    /// the same infinity, ∞ when only one is NaN.
    static func ulps(_ y: Float, _ reference: Double) -> Double {
        if y.isNaN || reference.isNaN { return y.isNaN && reference.isNaN ? 0 : .infinity }
        if Double(y) == reference { return 0 }
        let rounded = Float(reference)
        if rounded.isInfinite { return y == rounded ? 0 : .infinity }
        let spacing = Double(max(rounded.magnitude.ulp, .leastNonzeroMagnitude))
        return abs(Double(y) - reference) / spacing
    }

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var kernel: @Sendable (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, ElementwiseOptions) -> Void
        var reference: @Sendable (Double) -> Double
        /// Inputs where the ULP bound applies.
        var domain: @Sendable (Float) -> Bool = { _ in true }
        var maxULPs: Double
        /// Error allowed outside `domain`: absolute plus relative to the reference.
        var absoluteOutside: Double = 0
        var relativeOutside: Double = 0
        var description: String { name }
    }

    static func activation(_ f: Activation) -> @Sendable (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, ElementwiseOptions) -> Void {
        { Elementwise.apply(f, to: $0, into: $1, options: $2) }
    }

    static let sigmoidReference: @Sendable (Double) -> Double = { 1 / (1 + Foundation.exp(-$0)) }
    static let geluReference: @Sendable (Double) -> Double = {
        // ½·x·(1 + tanh u) = x·σ(2u), without Double's own cancellation for x ≪ 0.
        $0 < -20 ? 0 : $0 / (1 + Foundation.exp(-2 * 0.797_884_560_802_865_4 * ($0 + 0.044_715 * $0 * $0 * $0)))
    }

    static let cases: [Case] = [
        Case(name: "exp", kernel: { Elementwise.exp($0, into: $1, options: $2) }, reference: { Foundation.exp($0) }, maxULPs: 1),
        Case(name: "log", kernel: { Elementwise.log($0, into: $1, options: $2) }, reference: { Foundation.log($0) }, maxULPs: 1),
        Case(
            name: "sigmoid", kernel: activation(.sigmoid), reference: sigmoidReference,
            domain: { $0 >= -87 }, maxULPs: 2.5, absoluteOutside: 1.2e-38),
        Case(name: "tanh", kernel: activation(.tanh), reference: { Foundation.tanh($0) }, maxULPs: 1.5),
        Case(
            name: "softplus", kernel: activation(.softplus),
            reference: { max($0, 0) + Foundation.log1p(Foundation.exp(-abs($0))) }, maxULPs: 2),
        Case(
            name: "gelu", kernel: activation(.gelu), reference: geluReference,
            domain: { $0 >= -3 }, maxULPs: 10, absoluteOutside: 1.2e-36, relativeOutside: 1e-5),
        Case(name: "relu", kernel: activation(.relu), reference: { $0.isNaN ? $0 : max($0, 0) }, maxULPs: 0),
        Case(
            name: "leaky-relu", kernel: activation(.leakyReLU(slope: 0.1)),
            reference: { $0 < 0 ? Double(Float($0) * 0.1) : $0 }, maxULPs: 0),
        Case(
            name: "hard-sigmoid", kernel: activation(.hardSigmoid),
            reference: { $0.isNaN ? $0 : min(1, max(0, $0)) }, maxULPs: 0),
        Case(name: "step", kernel: activation(.step), reference: { $0.isNaN ? $0 : ($0 > 0 ? 1 : 0) }, maxULPs: 0),
        Case(name: "identity", kernel: activation(.identity), reference: { $0 }, maxULPs: 0),
    ]

    @Test("within the stated ULP bound over the sweep, for both vector widths and every variant", arguments: cases)
    func bound(_ c: Case) {
        let xs = Self.inputs + [.nan]
        let runs = KernelVariant.supported.flatMap { variant in VectorWidth.allCases.map { (variant, $0) } }
        for (variant, width) in runs {
            var y = [Float](repeating: 0, count: xs.count)
            xs.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { c.kernel(x, $0, ElementwiseOptions(threads: 1, width: width, variant: variant)) }
            }
            var worst = 0.0, worstAt: Float = 0
            for (x, value) in zip(xs, y) where !(x < 0 && c.name == "log") {
                let reference = c.reference(Double(x))
                if c.domain(x) || x.isNaN {
                    let error = Self.ulps(value, reference)
                    if error > worst {
                        worst = error
                        worstAt = x
                    }
                } else {
                    // Without fused multiply-adds (the baseline variant) each polynomial
                    // step rounds twice: GELU's tail measured up to 1.1e-5 there, so
                    // the relative bound is 1.5× the fused variants' (Docs/Kernels.md).
                    let relative = variant.hasFusedMultiplyAdd ? c.relativeOutside : 1.5 * c.relativeOutside
                    let allowed = c.absoluteOutside + relative * abs(reference)
                    #expect(abs(Double(value) - reference) <= allowed, "\(c.name)(\(x)) = \(value), reference \(reference)")
                }
            }
            print("\(c.name) \(variant) \(width): max \(worst) ulp at \(worstAt)")
            #expect(worst <= c.maxULPs, "\(c.name) \(variant) \(width): \(worst) ULPs at x = \(worstAt)")
        }
    }
}
