/// The vector code of one ``KernelVariant``: every operation the public
/// entry points hand to a variant, each a whole operation (a GEMM, one
/// worker's run of an elementwise pass, a loss, one chunk of an optimizer
/// update), never a tile or a vector. `KernelsSIMD` implements it once per
/// variant; `Kernels` picks the implementation at run time.
///
/// Arguments arrive checked: shapes, leading dimensions and thread counts
/// are the entry points' business.
package protocol KernelImplementation: Sendable {
    /// The variant this implementation was compiled as.
    static var variant: KernelVariant { get }

    /// `C ← α·op(A)·op(B) + β·C` with `epilogue`, for m, n, k ≥ 1 and α ≠ 0.
    static func gemm(_ g: GEMMOperands, microKernel: GEMMMicroKernel, path: GEMMPath, blocking: GEMMBlocking, threads: Int)
    /// The epilogue alone on an (m × n) block of C (when there is no product).
    static func applyEpilogue(_ epilogue: GEMMEpilogue, rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int)

    /// `y[i] = eˣ⁽ⁱ⁾` on one run.
    static func exp(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth)
    /// `y[i] = ln x[i]` on one run.
    static func log(count: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, width: VectorWidth)
    /// `a[i] = f(z[i])` on one run.
    static func apply(
        _ f: Activation, count: Int, _ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, width: VectorWidth)
    /// `d[i] = f′(z[i])` on one run.
    static func derivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        into d: UnsafeMutablePointer<Float>, width: VectorWidth)
    /// `g[i] ← g[i]·f′(z[i])` on one run.
    static func multiplyByDerivative(
        of f: Activation, count: Int, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gradient g: UnsafeMutablePointer<Float>, width: VectorWidth)
    /// f(z) and f′(z) for one value, rounded as the vector code rounds them.
    static func activation(_ f: Activation, at z: Float) -> (value: Float, derivative: Float)

    /// `sums[j] = Σᵢ a[i, j]` for an (rows × columns) block.
    static func columnSums(rows: Int, columns: Int, _ a: UnsafePointer<Float>, lda: Int, into sums: UnsafeMutablePointer<Float>)
    /// Softmax over each row of an (rows × columns) block of logits.
    static func softmax(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into p: UnsafeMutablePointer<Float>, ldp: Int)
    /// Log-softmax over each row of an (rows × columns) block of logits.
    static func logSoftmax(
        rows: Int, columns: Int, logits z: UnsafePointer<Float>, ldz: Int, into out: UnsafeMutablePointer<Float>, ldo: Int)
    /// The unscaled sum of `loss` over an (rows × columns) block; writes
    /// `gradientScale` × the gradient of that sum to `g` when given.
    static func lossSum(
        _ loss: Loss, rows: Int, columns: Int, predictions p: UnsafePointer<Float>, ldp: Int,
        targets t: UnsafePointer<Float>, ldt: Int, gradient g: UnsafeMutablePointer<Float>?, ldg: Int, gradientScale: Float
    ) -> Double

    /// Applies an optimizer's `rule` to `count` parameters; returns Σ Δw².
    static func update(
        _ rule: UpdateRule, count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        s1: UnsafeMutablePointer<Float>?, s2: UnsafeMutablePointer<Float>?
    ) -> Double
    /// Σ x² over `count` floats.
    static func sumOfSquares(count: Int, _ x: UnsafePointer<Float>) -> Double

    /// `iterations` × 12 independent multiply-adds of `width`, as the
    /// variant's kernels compute them (fused or not): the benchmarks' probe
    /// of the machine's multiply-add ceiling. Returns a value that depends
    /// on all of them.
    static func multiplyAddProbe(width: VectorWidth, iterations: Int) -> Float
}
