// Householder reduction of a symmetric matrix to tridiagonal form,
//
//     S = Q·T·Qᵀ,   Q = H₀·H₁ ⋯ H₍ₙ₋₂₎,   Hₖ = I − τₖ·vₖ·vₖᵀ,
//
// blocked as LAPACK's ssytrd: a panel of `panelWidth` columns is reduced with
// matrix-vector work against the not yet updated trailing matrix plus
// corrections from the panel (slatrd), then the trailing matrix takes the
// whole panel at once as a rank-2b update, A₂₂ ← A₂₂ − V·Wᵀ − W·Vᵀ, through
// the GEMM. Half the 4n³/3 flops are in that GEMM; the other half is one
// pass over the lower triangle per column (the symmetric matrix-vector
// product), which is memory-bound.
//
// Only the lower triangle of S is read. The back-transformation applies Q
// to the eigenvectors of T in the compact WY form of each panel,
// H_j ⋯ H_(j+b−1) = I − V·Tᵂ·Vᵀ (slarft), again through the GEMM.

/// The tridiagonal form of a symmetric matrix and the reflectors of Q.
struct Tridiagonalization {
    /// Columns reduced per panel: the k of the trailing rank-2b update and
    /// of the back-transformation's products.
    static let panelWidth = 32

    let n: Int
    /// T's diagonal (n).
    var diagonal: [Double]
    /// T's subdiagonal, `offDiagonal[i] = T[i+1, i]` (n − 1).
    var offDiagonal: [Double]
    /// (n × n), column k holds vₖ: zero above row k + 1, one at row k + 1.
    var reflectors: [Float]
    /// τₖ of each reflector (n − 1; zero when Hₖ = I).
    var scales: [Float]

    /// Reduces the symmetric (n × n) matrix whose lower triangle is in `s`
    /// (column-major, leading dimension n). The GEMMs run on `threads` threads.
    ///
    /// - Complexity: 4n³/3 flops.
    init(lowerOf s: UnsafePointer<Float>, n: Int, threads: Int) {
        self.n = n
        diagonal = [Double](repeating: 0, count: n)
        offDiagonal = [Double](repeating: 0, count: max(0, n - 1))
        reflectors = [Float](repeating: 0, count: n * n)
        scales = [Float](repeating: 0, count: max(0, n - 1))
        var a = [Float](UnsafeBufferPointer(start: s, count: n * n))
        var panel = [Float](repeating: 0, count: n * Self.panelWidth)  // W (n × b)
        var y = [Float](repeating: 0, count: n)
        var start = 0
        while start < n - 1 {
            let width = min(Self.panelWidth, n - 1 - start)
            reducePanel(start: start, width: width, a: &a, w: &panel, y: &y)
            updateTrailingMatrix(start: start, width: width, a: &a, w: panel, threads: threads)
            start += width
        }
        if n > 0 { diagonal[n - 1] = Double(a[(n - 1) * (n + 1)]) }
    }

    /// Reduces columns start ..< start + width, leaving the trailing matrix
    /// as it was and W such that A₂₂ − V·Wᵀ − W·Vᵀ is its reduced form.
    private mutating func reducePanel(start: Int, width: Int, a: inout [Float], w: inout [Float], y: inout [Float]) {
        let n = self.n
        let firstDiagonal = start
        reflectors.withUnsafeMutableBufferPointer { vBuffer in
            a.withUnsafeMutableBufferPointer { aBuffer in
                w.withUnsafeMutableBufferPointer { wBuffer in
                    y.withUnsafeMutableBufferPointer { yBuffer in
                        let v = vBuffer.baseAddress!, a = aBuffer.baseAddress!, w = wBuffer.baseAddress!, y = yBuffer.baseAddress!
                        for i in 0..<width {
                            let k = start + i
                            let column = a + k * n
                            // 1. Bring column k up to date with the panel's earlier reflectors:
                            //    a[k..<n, k] −= V·W[k, :]ᵀ + W·V[k, :]ᵀ.
                            for p in 0..<i {
                                let vp = v + (firstDiagonal + p) * n, wp = w + p * n
                                let wk = wp[k], vk = vp[k]
                                for r in k..<n { column[r] -= vp[r] * wk + wp[r] * vk }
                            }
                            diagonal[k] = Double(column[k])
                            // 2. The reflector that zeroes a[k+2..<n, k].
                            let (beta, tau) = Self.makeReflector(column + k + 1, count: n - k - 1, into: v + k * n + k + 1)
                            offDiagonal[k] = Double(beta)
                            scales[k] = tau
                            let vk = v + k * n, wk = w + i * n
                            (wk).update(repeating: 0, count: n)
                            guard tau != 0 else { continue }
                            // 3. w = τ·(A₂₂·v − V·(Wᵀv) − W·(Vᵀv)) over rows k+1..<n, then
                            //    w −= (τ/2)(wᵀv)·v, so that H·A·H = A − v·wᵀ − w·vᵀ.
                            let m = n - k - 1, top = k + 1
                            Self.symmetricProduct(lowerOf: a + top * n + top, n: n, m: m, x: vk + top, into: y)
                            for p in 0..<i {
                                let vp = v + (firstDiagonal + p) * n, wp = w + p * n
                                var wv: Float = 0, vv: Float = 0
                                for r in top..<n {
                                    wv += wp[r] * vk[r]
                                    vv += vp[r] * vk[r]
                                }
                                for r in 0..<m { y[r] -= vp[top + r] * wv + wp[top + r] * vv }
                            }
                            var wv: Double = 0
                            for r in 0..<m {
                                wk[top + r] = tau * y[r]
                                wv += Double(wk[top + r]) * Double(vk[top + r])
                            }
                            let correction = Float(-0.5 * Double(tau) * wv)
                            for r in top..<n { wk[r] += correction * vk[r] }
                        }
                    }
                }
            }
        }
    }

    /// A₂₂ ← A₂₂ − V·Wᵀ − W·Vᵀ over rows and columns start + width ..< n.
    private func updateTrailingMatrix(start: Int, width: Int, a: inout [Float], w: [Float], threads: Int) {
        let top = start + width, m = n - top
        guard m > 0 else { return }
        let options = GEMMOptions(threads: threads)
        reflectors.withUnsafeBufferPointer { v in
            w.withUnsafeBufferPointer { w in
                a.withUnsafeMutableBufferPointer { a in
                    let vp = v.baseAddress! + start * n + top, wp = w.baseAddress! + top, c = a.baseAddress! + top * n + top
                    sgemm(
                        transA: .noTranspose, transB: .transpose, m: m, n: m, k: width, alpha: -1,
                        a: vp, lda: n, b: wp, ldb: n, beta: 1, c: c, ldc: n, options: options)
                    sgemm(
                        transA: .noTranspose, transB: .transpose, m: m, n: m, k: width, alpha: -1,
                        a: wp, lda: n, b: vp, ldb: n, beta: 1, c: c, ldc: n, options: options)
                }
            }
        }
    }

    /// The Householder reflector H = I − τ·v·vᵀ with H·x = β·e₁ (slarfg):
    /// writes v (with v₀ = 1) and returns β and τ; τ = 0 when x₁… are zero.
    /// The norm is accumulated in Double.
    private static func makeReflector(_ x: UnsafePointer<Float>, count: Int, into v: UnsafeMutablePointer<Float>) -> (beta: Float, tau: Float) {
        guard count > 0 else { return (0, 0) }
        let alpha = Double(x[0])
        var tail: Double = 0
        for i in 1..<count { tail += Double(x[i]) * Double(x[i]) }
        v[0] = 1
        guard tail > 0 else {
            for i in 1..<count { v[i] = 0 }
            return (Float(alpha), 0)
        }
        let norm = (alpha * alpha + tail).squareRoot()
        let beta = alpha >= 0 ? -norm : norm
        let scale = 1 / (alpha - beta)
        for i in 1..<count { v[i] = Float(Double(x[i]) * scale) }
        return (Float(beta), Float((beta - alpha) / beta))
    }

    /// y ← A·x for the symmetric (m × m) matrix whose lower triangle starts
    /// at `a` (leading dimension n): one pass over the lower triangle, each
    /// element used for its row and its column.
    private static func symmetricProduct(
        lowerOf a: UnsafePointer<Float>, n: Int, m: Int, x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>
    ) {
        y.update(repeating: 0, count: m)
        for j in 0..<m {
            let column = a + j * n, xj = x[j]
            var dot = SIMD8<Float>()
            var i = j + 1
            let splat = SIMD8<Float>(repeating: xj)
            while i + 8 <= m {
                let c = UnsafeRawPointer(column + i).loadUnaligned(as: SIMD8<Float>.self)
                let xi = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                let yi = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(y + i).storeBytes(of: yi + c * splat, as: SIMD8<Float>.self)
                dot += c * xi
                i += 8
            }
            var tail: Float = 0
            while i < m {
                y[i] += column[i] * xj
                tail += column[i] * x[i]
                i += 1
            }
            y[j] += column[j] * xj + (dot.sum() + tail)
        }
    }

    /// Z ← Q·Z for the (n × columns) matrix Z (leading dimension n), one
    /// panel of reflectors at a time, last panel first.
    ///
    /// - Complexity: about 2n²·columns flops, in GEMMs.
    func applyQ(to z: UnsafeMutablePointer<Float>, columns: Int, threads: Int) {
        guard n > 1, columns > 0 else { return }
        let options = GEMMOptions(threads: threads)
        var starts = Array(stride(from: 0, to: n - 1, by: Self.panelWidth))
        starts.reverse()
        var t = [Float](repeating: 0, count: Self.panelWidth * Self.panelWidth)
        var work = [Float](repeating: 0, count: Self.panelWidth * columns)
        var work2 = work
        reflectors.withUnsafeBufferPointer { vBuffer in
            for start in starts {
                let width = min(Self.panelWidth, n - 1 - start)
                let top = start + 1, m = n - top
                let v = vBuffer.baseAddress! + start * n + top  // V (m × width), leading dimension n
                t.withUnsafeMutableBufferPointer { formTriangularFactor(start: start, width: width, into: $0.baseAddress!) }
                t.withUnsafeBufferPointer { t in
                    work.withUnsafeMutableBufferPointer { w1 in
                        work2.withUnsafeMutableBufferPointer { w2 in
                            // W₁ (width × columns) = Vᵀ·Z, W₂ = Tᵂ·W₁, Z −= V·W₂.
                            sgemm(
                                transA: .transpose, transB: .noTranspose, m: width, n: columns, k: m, alpha: 1,
                                a: v, lda: n, b: z + top, ldb: n, beta: 0, c: w1.baseAddress!, ldc: width, options: options)
                            sgemm(
                                transA: .noTranspose, transB: .noTranspose, m: width, n: columns, k: width, alpha: 1,
                                a: t.baseAddress!, lda: Self.panelWidth, b: w1.baseAddress!, ldb: width,
                                beta: 0, c: w2.baseAddress!, ldc: width, options: options)
                            sgemm(
                                transA: .noTranspose, transB: .noTranspose, m: m, n: columns, k: width, alpha: -1,
                                a: v, lda: n, b: w2.baseAddress!, ldb: width, beta: 1, c: z + top, ldc: n, options: options)
                        }
                    }
                }
            }
        }
    }

    /// The upper-triangular Tᵂ (width × width, leading dimension panelWidth)
    /// with H_start ⋯ H_(start+width−1) = I − V·Tᵂ·Vᵀ (slarft, forward,
    /// columnwise), accumulated in Double.
    private func formTriangularFactor(start: Int, width: Int, into t: UnsafeMutablePointer<Float>) {
        let ld = Self.panelWidth
        var factor = [Double](repeating: 0, count: width * width)
        reflectors.withUnsafeBufferPointer { vBuffer in
            let v = vBuffer.baseAddress!
            for i in 0..<width {
                let tau = Double(scales[start + i])
                guard tau != 0 else { continue }
                let vi = v + (start + i) * n
                // t = −τ·V[:, 0..<i]ᵀ·vᵢ, then T[0..<i, i] = T[0..<i, 0..<i]·t.
                var column = [Double](repeating: 0, count: i)
                for p in 0..<i {
                    let vp = v + (start + p) * n
                    var dot: Double = 0
                    for r in (start + i + 1)..<n { dot += Double(vp[r]) * Double(vi[r]) }
                    column[p] = -tau * dot
                }
                for p in 0..<i {
                    var sum: Double = 0
                    for q in p..<i { sum += factor[p + q * width] * column[q] }
                    factor[p + i * width] = sum
                }
                factor[i + i * width] = tau
            }
        }
        for j in 0..<ld {
            for i in 0..<ld { t[i + j * ld] = i < width && j < width ? Float(factor[i + j * width]) : 0 }
        }
    }
}
