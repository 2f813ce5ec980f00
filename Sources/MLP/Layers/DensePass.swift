import Kernels

/// A dense layer with elementwise units: z = x·W + b, a = f(z). Its backward
/// half also holds the part every layer kind shares: from δ = ∂L/∂z to the
/// gradients of W, b and x.
enum DensePass {
    // x (batch × inputs), W (inputs × columns), b (1 × columns)
    //   → z (batch × columns, when kept), a (batch × columns)
    /// z = x·W + b and a = f(z), in one GEMM whose epilogue adds the bias,
    /// stores z and applies f.
    static func forward(
        z: UnsafeMutablePointer<Float>?, a: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
        _ f: Activation, batch: Int, inputs: Int, columns: Int, threads: Int
    ) {
        sgemm(
            transA: .noTranspose, transB: .noTranspose, m: batch, n: columns, k: inputs, alpha: 1,
            a: x, lda: max(1, batch), b: w, ldb: max(1, inputs), beta: 0, c: a, ldc: max(1, batch),
            epilogue: .activation(f, bias: b, preActivations: z, ldz: max(1, batch)), options: GEMMOptions(threads: threads))
    }

    // ∂L/∂a, z, a (batch × columns) → δ (batch × columns)
    /// δ = ∂L/∂a ⊙ f′(z), for a layer whose derivative was not fused into the
    /// GEMM that produced ∂L/∂a.
    static func unitsBackward(
        delta: UnsafeMutablePointer<Float>, upstream: UnsafePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        _ f: Activation, count: Int
    ) {
        delta.update(from: upstream, count: count)
        Elementwise.multiplyByDerivative(
            of: f, z: UnsafeBufferPointer(start: z, count: count), a: UnsafeBufferPointer(start: a, count: count),
            gradient: UnsafeMutableBufferPointer(start: delta, count: count))
    }

    // δ (batch × columns), x (batch × inputs), W (inputs × columns)
    //   → dW (inputs × columns), db (1 × columns), dX (batch × inputs, when wanted)
    /// dW = xᵀ·δ, db = Σ over the batch of δ, dX = δ·Wᵀ finished by
    /// `dXEpilogue` (the previous layer's derivative, fused when it can be).
    static func backward(
        dX: UnsafeMutablePointer<Float>?, dXEpilogue: GEMMEpilogue = .none,
        dW: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
        delta: UnsafePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
        batch: Int, inputs: Int, columns: Int, threads: Int
    ) {
        let ld = max(1, batch)
        sgemm(
            transA: .transpose, transB: .noTranspose, m: inputs, n: columns, k: batch, alpha: 1,
            a: x, lda: ld, b: delta, ldb: ld, beta: 0, c: dW, ldc: max(1, inputs), options: GEMMOptions(threads: threads))
        if let db { Elementwise.columnSums(rows: batch, columns: columns, delta, lda: ld, into: db) }
        if let dX {
            sgemm(
                transA: .noTranspose, transB: .transpose, m: batch, n: inputs, k: columns, alpha: 1,
                a: delta, lda: ld, b: w, ldb: max(1, inputs), beta: 0, c: dX, ldc: ld,
                epilogue: dXEpilogue, options: GEMMOptions(threads: threads))
        }
    }
}
