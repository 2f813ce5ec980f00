/// Elementwise math on `SIMD$W<Float>`: exp, log and the activation functions
/// with their derivatives, branch-free, accurate to the bounds stated (and
/// tested) in Docs/Kernels.md.
///
/// Every function works lane by lane with the same operations, so a value's
/// result never depends on its neighbours or on the vector width: the
/// `SIMD8` and `SIMD16` versions agree bit for bit.
enum VectorMath$W: VectorMath {
    typealias Vector = SIMD$W<Float>
    typealias Bits = SIMD$W<Int32>

    @inline(__always)
    static func splat(_ x: Float) -> Vector { Vector(repeating: x) }

    @inline(__always)
    static func bits(_ x: Vector) -> Bits { unsafeBitCast(x, to: Bits.self) }

    @inline(__always)
    static func float(_ bits: Bits) -> Vector { unsafeBitCast(bits, to: Vector.self) }

    @inline(__always)
    static func multiply(_ a: Vector, _ b: Vector) -> Vector { a * b }

    @inline(__always)
    static func add(_ a: Vector, _ b: Vector) -> Vector { a + b }

    /// `a·b + c`, fused when the variant has FMA.
    @inline(__always)
    static func fma(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector { c.multiplyAdding(a, b) }

    /// `a·b + c` with a constant `b`.
    @inline(__always)
    static func fma(_ a: Vector, _ b: Float, _ c: Vector) -> Vector { c.multiplyAdding(a, Vector(repeating: b)) }

    /// True in the lanes that are not NaN. (Equality masks, `.==` and `.!=`,
    /// made LLVM split 16-lane code into 4-lane pieces; ordered comparisons do not.)
    @inline(__always)
    static func isNumber(_ x: Vector) -> SIMDMask<Bits> { x .>= splat(-.infinity) }

    /// |x| (−0 stays −0).
    @inline(__always)
    static func absolute(_ x: Vector) -> Vector { x.replacing(with: -x, where: x .< splat(0)) }

    /// 2ⁿ for the integer-valued `n` encoded in `t = n + 1.5·2²³` (the
    /// magic-number rounding below), valid for −126 ≤ n ≤ 127.
    @inline(__always)
    static func powerOfTwo(rounded t: Vector) -> Vector {
        float((bits(t) &- Bits(repeating: 0x4B40_0000) &+ Bits(repeating: 127)) &<< Bits(repeating: 23))
    }

    /// eˣ: Cody–Waite reduction x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6
    /// polynomial for eʳ (Cephes `expf`), and 2ⁿ applied as two halves so that
    /// results down to the smallest subnormal round once. Overflows to +∞ above
    /// 88.72, underflows to 0 below −103.97; NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let low = splat(-104), high = splat(89), magic = splat(12_582_912)  // 1.5·2²³
        var c = x.replacing(with: low, where: x .< low)
        c = c.replacing(with: high, where: c .> high)
        let t = fma(c, 1.442_695_04, magic)  // n = round(x·log₂e), kept in t's low bits
        let n = t - magic
        var r = fma(n, -0.693_359_375, c)
        r = fma(n, 2.121_944_40e-4, r)
        var p = splat(1.987_569_150e-4)
        p = fma(p, r, splat(1.398_199_951e-3))
        p = fma(p, r, splat(8.333_451_907e-3))
        p = fma(p, r, splat(4.166_579_589e-2))
        p = fma(p, r, splat(1.666_666_546e-1))
        p = fma(p, r, splat(5.000_000_120e-1))
        p = fma(p, r * r, r) + 1
        let half = fma(c, 0.721_347_52, magic)  // ≈ n/2
        let rest = t - half + magic  // n − n/2, re-encoded
        return p * powerOfTwo(rounded: half) * powerOfTwo(rounded: rest)
    }

    /// ln x: x = m·2ᵉ with √½ ≤ m < √2, a degree-9 polynomial in m − 1
    /// (Cephes `logf`). Subnormals are scaled up first; ln 0 = −∞, ln(x < 0)
    /// = NaN, ln ∞ = ∞.
    @inline(__always)
    static func log(_ x: Vector) -> Vector {
        // Inputs below 2⁻¹²⁰ (subnormals among them) are scaled by 2²³ first.
        let scale = splat(1).replacing(with: splat(8_388_608), where: x .< splat(0x1p-120))
        let xs = x * scale
        let scaleExponent = (bits(scale) &>> Bits(repeating: 23)) &- Bits(repeating: 127)  // 0 or 23
        let biased = bits(xs) &>> Bits(repeating: 23)  // xs = m·2^(biased − 126), ½ ≤ m < 1
        var e = float(biased &- Bits(repeating: 126) &- scaleExponent &+ Bits(repeating: 0x4B40_0000)) - 12_582_912
        // m = (xs/4)·2^(128 − biased): both factors normal, so m is exact.
        var m = (xs * 0.25) * float((Bits(repeating: 255) &- biased) &<< Bits(repeating: 23))
        let small = splat(0).replacing(with: splat(1), where: m .< splat(0.707_106_781))
        e = e - small
        m = fma(m, small, m) - 1  // 2m − 1 or m − 1, both exact
        var result = fma(e, 0.693_359_375, m + logTail(m, exponent: e))
        // ln 0 = −∞, ln(x < 0) = NaN, ln ∞ = ∞; NaN propagates through m.
        let special = splat(-.infinity).replacing(with: splat(.nan), where: x .< splat(0))
        result = result.replacing(with: special, where: x .<= splat(0))
        return result.replacing(with: x, where: x .>= splat(.infinity))
    }

    /// ln(1 + m) − m + e·(ln 2 − 0.693359375) for the reduced argument
    /// −0.29 ≤ m < 0.42: the degree-9 polynomial of Cephes `logf` (ln 2 split
    /// in two); the caller adds m and e·0.693359375 last.
    @inline(__always)
    static func logTail(_ m: Vector, exponent e: Vector) -> Vector {
        let z = m * m
        var p = splat(7.037_683_629_2e-2)
        p = fma(p, m, splat(-1.151_461_031_0e-1))
        p = fma(p, m, splat(1.167_699_874_0e-1))
        p = fma(p, m, splat(-1.242_014_084_6e-1))
        p = fma(p, m, splat(1.424_932_278_7e-1))
        p = fma(p, m, splat(-1.666_805_766_5e-1))
        p = fma(p, m, splat(2.000_071_476_5e-1))
        p = fma(p, m, splat(-2.499_999_399_3e-1))
        p = fma(p, m, splat(3.333_333_117_4e-1))
        let y = fma(e, -2.121_944_40e-4, p * z * m)
        return fma(z, -0.5, y)
    }

    /// ln(1 + u) for 0 ≤ u ≤ 1 (NaN stays NaN): w = 1 + u is in [1, 2], so
    /// the reduction needs no exponent bits and no special cases; the
    /// rounding error of 1 + u is added back as (u − (w − 1))/w, with 1/w
    /// approximated by 1.5 − w/2 (the correction is below ulp(w), so 12% of it
    /// is far below the result's ulp).
    @inline(__always)
    static func log1pUnit(_ u: Vector) -> Vector {
        let w = u + 1
        let e = splat(0).replacing(with: splat(1), where: w .>= splat(1.414_213_56))
        let m = fma(w, e * -0.5, w) - 1  // w/2 − 1 or w − 1, exact
        let correction = (u - (w - 1)) * fma(w, -0.5, splat(1.5))
        return fma(e, 0.693_359_375, m + (logTail(m, exponent: e) + correction))
    }

    // MARK: Activations (forward)

    @inline(__always)
    static func step(_ z: Vector) -> Vector {
        z.replacing(with: splat(0).replacing(with: splat(1), where: z .> splat(0)), where: isNumber(z))
    }

    /// 1 / (1 + e⁻ᶻ): exactly 0 below −88.7 (e⁻ᶻ overflows), exactly 1 above 17.
    @inline(__always)
    static func sigmoid(_ z: Vector) -> Vector { 1 / (1 + exp(-z)) }

    /// sign(z)·tanh|z|: an odd polynomial (Cephes `tanhf`) for |z| < 0.625,
    /// else 1 − 2 / (e²ᶻ + 1).
    @inline(__always)
    static func tanh(_ z: Vector) -> Vector {
        let a = absolute(z)
        let large = 1 - 2 / (exp(a + a) + 1)
        let s = z * z
        var p = splat(-5.704_988_727_45e-3)
        p = fma(p, s, splat(2.063_908_879_54e-2))
        p = fma(p, s, splat(-5.373_971_555_31e-2))
        p = fma(p, s, splat(1.333_144_220_36e-1))
        p = fma(p, s, splat(-3.333_328_194_22e-1))
        let signedLarge = large.replacing(with: -large, where: z .< splat(0))
        let small = z * fma(p, s, splat(1))  // keeps the sign of −0
        return small.replacing(with: signedLarge, where: a .>= splat(0.625))
    }

    @inline(__always)
    static func relu(_ z: Vector) -> Vector { z.replacing(with: splat(0), where: z .< splat(0)) }

    @inline(__always)
    static func leakyReLU(_ z: Vector, slope: Float) -> Vector { z.replacing(with: z * slope, where: z .< splat(0)) }

    /// ln(1 + eᶻ) = max(z, 0) + ln(1 + e^−|z|).
    @inline(__always)
    static func softplus(_ z: Vector) -> Vector {
        relu(z) + log1pUnit(exp(-absolute(z)))
    }

    /// max(0, min(1, z)).
    @inline(__always)
    static func hardSigmoid(_ z: Vector) -> Vector {
        let lower = z.replacing(with: splat(0), where: z .< splat(0))
        return lower.replacing(with: splat(1), where: lower .> splat(1))
    }

    /// √(2/π)·(z + 0.044715·z³), doubled: GELU's tanh argument times two.
    @inline(__always)
    static func geluArgument(_ z: Vector) -> Vector {
        let z2 = z * z
        return z * fma(z2, 2 * 0.797_884_561 * 0.044_715, splat(2 * 0.797_884_561))
    }

    /// z·½(1 + tanh(u)) computed as z·σ(2u), which keeps relative accuracy for
    /// negative z; −0 below −10 (the value is above −1e-36 there).
    @inline(__always)
    static func gelu(_ z: Vector) -> Vector {
        (z * sigmoid(geluArgument(z))).replacing(with: splat(-0.0), where: z .< splat(-10))
    }

    // MARK: Derivatives

    /// σ′ from a = σ(z): a·(1 − a).
    @inline(__always)
    static func sigmoidDerivative(output a: Vector) -> Vector { a * (1 - a) }

    /// tanh′ from a = tanh(z): 1 − a².
    @inline(__always)
    static func tanhDerivative(output a: Vector) -> Vector { fma(-a, a, splat(1)) }

    /// 0 (the step's derivative almost everywhere); NaN for NaN.
    @inline(__always)
    static func stepDerivative(_ z: Vector) -> Vector { z.replacing(with: splat(0), where: isNumber(z)) }

    /// 1 for z > 0, else 0; NaN for NaN.
    @inline(__always)
    static func reluDerivative(_ z: Vector) -> Vector { step(z) }

    /// 1 for z > 0, else `slope`; NaN for NaN.
    @inline(__always)
    static func leakyReLUDerivative(_ z: Vector, slope: Float) -> Vector {
        z.replacing(with: splat(slope).replacing(with: splat(1), where: z .> splat(0)), where: isNumber(z))
    }

    /// 1 for 0 < z < 1, else 0; NaN for NaN.
    @inline(__always)
    static func hardSigmoidDerivative(_ z: Vector) -> Vector {
        let inside = splat(0).replacing(with: splat(1), where: z .> splat(0)).replacing(with: splat(0), where: z .>= splat(1))
        return z.replacing(with: inside, where: isNumber(z))
    }

    /// d/dz z·σ(2u) = σ(2u) + z·σ(2u)·(1 − σ(2u))·2u′, with the limits 0 below
    /// −10 and 1 above 10.
    @inline(__always)
    static func geluDerivative(_ z: Vector) -> Vector {
        let s = sigmoid(geluArgument(z))
        let du = fma(z * z, 2 * 0.797_884_561 * 3 * 0.044_715, splat(2 * 0.797_884_561))
        let d = fma(z * s * (1 - s), du, s)
        return d.replacing(with: splat(0), where: z .< splat(-10)).replacing(with: splat(1), where: z .> splat(10))
    }
}
