/// Softmax and log-softmax over each row of a (samples × classes) matrix.
///
/// Numerically stable: each row's maximum is subtracted before `exp`, so
/// logits of ±1000 and rows of equal logits are exact. Vectorized across
/// samples: one vector holds the same class of consecutive samples, which are
/// contiguous in the column-major layout.
public enum Softmax {
    /// `p[i, j] = e^(z[i, j] − mᵢ) / Σⱼ e^(z[i, j] − mᵢ)`, mᵢ = maxⱼ z[i, j],
    /// for an (rows × columns) block with leading dimensions `ldz` and `ldp`.
    /// `p` may equal `z`.
    ///
    /// - Parameters:
    ///   - rows: the rows (one sample each).
    ///   - columns: the columns (one class each).
    ///   - z: the first logit, column-major.
    ///   - ldz: the logits' leading dimension, at least `rows`.
    ///   - p: the first probability, column-major.
    ///   - ldp: the probabilities' leading dimension, at least `rows`.
    public static func probabilities(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int,
        into p: UnsafeMutablePointer<Float>, ldp: Int
    ) {
        KernelDispatch.implementation.softmax(rows: rows, columns: columns, logits: z, ldz: ldz, into: p, ldp: ldp)
    }

    /// `log p[i, j] = z[i, j] − mᵢ − ln Σⱼ e^(z[i, j] − mᵢ)`; `out` may equal `z`.
    ///
    /// - Parameters:
    ///   - rows: the rows (one sample each).
    ///   - columns: the columns (one class each).
    ///   - z: the first logit, column-major.
    ///   - ldz: the logits' leading dimension, at least `rows`.
    ///   - out: the first log-probability, column-major.
    ///   - ldo: the output's leading dimension, at least `rows`.
    public static func logProbabilities(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        KernelDispatch.implementation.logSoftmax(rows: rows, columns: columns, logits: z, ldz: ldz, into: out, ldo: ldo)
    }
}

extension Matrix {
    /// Softmax over each row (sample) of a (samples × classes) matrix of logits.
    public func softmax() -> Matrix {
        mapped { z, p in Softmax.probabilities(rows: rows, columns: columns, logits: z, ldz: rows, into: p, ldp: rows) }
    }

    /// Log-softmax over each row (sample) of a (samples × classes) matrix of logits.
    public func logSoftmax() -> Matrix {
        mapped { z, p in Softmax.logProbabilities(rows: rows, columns: columns, logits: z, ldz: rows, into: p, ldo: rows) }
    }

    /// f applied to every element, by the vectorized kernels.
    ///
    /// - Parameter f: the activation.
    public func applying(_ f: Activation) -> Matrix {
        var a = Matrix(rows: rows, columns: columns)
        withUnsafeBufferPointer { z in a.withUnsafeMutableBufferPointer { Elementwise.apply(f, to: z, into: $0) } }
        return a
    }

    /// A matrix of this shape that `body` fills from this one's elements (both
    /// column-major with leading dimension `rows`); not called when empty.
    private func mapped(_ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        withUnsafeBufferPointer { z in
            result.withUnsafeMutableBufferPointer { out in
                guard let z = z.baseAddress, let out = out.baseAddress else { return }
                body(z, out)
            }
        }
        return result
    }
}
