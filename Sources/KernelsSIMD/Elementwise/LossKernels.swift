import KernelsCore

/// The fused loss passes behind ``Loss``: each returns the unscaled sum of the
/// per-element (or per-sample) losses, accumulated per vector in `Float` and
/// across vectors in `Double`, and writes the gradient times `scale`.
enum LossKernels {
    typealias Vector = PreferredMath.Vector

    /// Σ (p − t)²; g = gradientScale·(p − t).
    static func squaredError(
        rows: Int, columns: Int, _ p: UnsafePointer<Float>, _ ldp: Int, _ t: UnsafePointer<Float>, _ ldt: Int,
        _ g: UnsafeMutablePointer<Float>?, _ ldg: Int, gradientScale: Float
    ) -> Double {
        var total = 0.0
        for j in 0..<columns {
            total += columnSum(rows: rows, p + j * ldp, t + j * ldt, g.map { $0 + j * ldg }) { p, t in
                let d = p - t
                return (d * d, d * gradientScale)
            }
        }
        return total
    }

    /// Σ ζ(z) − t·z; g = scale·(σ(z) − t).
    static func sigmoidCrossEntropy(
        rows: Int, columns: Int, _ z: UnsafePointer<Float>, _ ldz: Int, _ t: UnsafePointer<Float>, _ ldt: Int,
        _ g: UnsafeMutablePointer<Float>?, _ ldg: Int, scale: Float
    ) -> Double {
        var total = 0.0
        for j in 0..<columns {
            total += columnSum(rows: rows, z + j * ldz, t + j * ldt, g.map { $0 + j * ldg }) { z, t in
                (PreferredMath.softplus(z) - t * z, (PreferredMath.sigmoid(z) - t) * scale)
            }
        }
        return total
    }

    /// Σᵢ (Σⱼ tᵢⱼ)·lseᵢ − Σⱼ tᵢⱼ·zᵢⱼ; g = scale·((Σⱼ tᵢⱼ)·softmax(z) − t).
    static func softmaxCrossEntropy(
        rows: Int, columns: Int, _ z: UnsafePointer<Float>, _ ldz: Int, _ t: UnsafePointer<Float>, _ ldt: Int,
        _ g: UnsafeMutablePointer<Float>?, _ ldg: Int, scale: Float
    ) -> Double {
        typealias M = PreferredMath
        var total = 0.0
        SoftmaxKernels.forEachRowChunk(rows: rows) { i, count in
            let (maximum, sum) = SoftmaxKernels.maximumAndSum(columns: columns, z + i, ldz, count: count)
            let lse = maximum + M.log(sum)
            var mass = Vector(), dot = Vector()
            for j in 0..<columns {
                let tj = M.load(t + i + j * ldt, count: count)
                mass += tj
                dot = dot.multiplyAdding(tj, M.load(z + i + j * ldz, count: count))
            }
            let loss = mass * lse - dot
            for l in 0..<count { total += Double(loss[l]) }
            if let g {
                let weight = mass * (scale / sum)
                for j in 0..<columns {
                    let zj = M.load(z + i + j * ldz, count: count), tj = M.load(t + i + j * ldt, count: count)
                    M.store(M.exp(zj - maximum) * weight - tj * scale, count: count, to: g + i + j * ldg)
                }
            }
        }
        return total
    }

    /// The multiclass hinge, sample by sample (it needs each sample's target class).
    static func multiclassHinge(
        rows: Int, columns: Int, _ z: UnsafePointer<Float>, _ ldz: Int, _ t: UnsafePointer<Float>, _ ldt: Int,
        _ g: UnsafeMutablePointer<Float>?, _ ldg: Int, scale: Float
    ) -> Double {
        var total = 0.0
        for i in 0..<rows {
            var target = 0
            for j in 1..<columns where t[i + j * ldt] > t[i + target * ldt] { target = j }
            let correct = z[i + target * ldz]
            var active: Float = 0
            for j in 0..<columns where j != target {
                let margin = 1 + z[i + j * ldz] - correct
                if margin > 0 {
                    total += Double(margin)
                    active += 1
                }
                g?[i + j * ldg] = margin > 0 ? scale : 0
            }
            g?[i + target * ldg] = -active * scale
        }
        return total
    }

    /// Σ over one column of the first component of `f(p, t)`, writing the
    /// second to `g`.
    @inline(__always)
    private static func columnSum(
        rows: Int, _ p: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>?,
        _ f: (Vector, Vector) -> (Vector, Vector)
    ) -> Double {
        var total = 0.0
        SoftmaxKernels.forEachRowChunk(rows: rows) { i, count in
            let (loss, gradient) = f(PreferredMath.load(p + i, count: count), PreferredMath.load(t + i, count: count))
            for l in 0..<count { total += Double(loss[l]) }
            if let g { PreferredMath.store(gradient, count: count, to: g + i) }
        }
        return total
    }
}
