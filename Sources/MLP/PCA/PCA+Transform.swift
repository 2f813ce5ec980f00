import Kernels

extension PCA {
    /// The coordinates of (N × D) `x` on the components: (x − mean)·U,
    /// (N × M), each column divided by its standard deviation when the PCA whitens.
    ///
    /// - Parameters:
    ///   - x: the (N × D) samples.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``PCAError/featureCount(_:expected:)`` when `x` is not D wide.
    /// - Complexity: 2·N·D·M flops.
    public func transform(_ x: Matrix, threads: Int? = nil) throws(PCAError) -> Matrix {
        guard x.columns == featureCount else { throw .featureCount(x.columns, expected: featureCount) }
        var centred = x
        centred.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<featureCount {
                for i in 0..<x.rows { buffer[i + j * x.rows] -= mean[j] }
            }
        }
        var z = Matrix(rows: x.rows, columns: componentCount)
        Matrix.multiply(centred, components, into: &z, threads: threads)
        if whitens { Self.scaleColumns(&z, by: explainedVariance.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }) }
        return z
    }

    /// The points of feature space that (N × M) coordinates `z` stand for:
    /// z·Uᵀ + mean (undoing the whitening first), (N × D).
    ///
    /// - Parameters:
    ///   - z: the (N × M) coordinates.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``PCAError/featureCount(_:expected:)`` when `z` is not M wide.
    /// - Complexity: 2·N·D·M flops.
    public func inverseTransform(_ z: Matrix, threads: Int? = nil) throws(PCAError) -> Matrix {
        guard z.columns == componentCount else { throw .featureCount(z.columns, expected: componentCount) }
        var coordinates = z
        if whitens { Self.scaleColumns(&coordinates, by: explainedVariance.map { $0.squareRoot() }) }
        var x = Matrix(rows: z.rows, columns: featureCount)
        Matrix.multiply(coordinates, components.transposed(), into: &x, threads: threads)
        x.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<featureCount {
                for i in 0..<z.rows { buffer[i + j * z.rows] += mean[j] }
            }
        }
        return x
    }

    /// The reconstruction error of (N × D) `x`: the mean over samples of
    /// ‖x − x̂‖², x̂ its projection back from M components. On the fitted data
    /// it is the sum of the discarded eigenvalues of (1/N)·XcᵀXc, that is
    /// (N − 1)/N · (``totalVariance`` − Σ ``explainedVariance``).
    ///
    /// - Parameters:
    ///   - x: the (N × D) samples.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``PCAError/featureCount(_:expected:)`` when `x` is not D wide.
    public func reconstructionError(_ x: Matrix, threads: Int? = nil) throws(PCAError) -> Double {
        let reconstructed = try inverseTransform(transform(x, threads: threads), threads: threads)
        return Self.checkedMeanSquaredResidual(x, reconstructed)
    }

    /// The mean over rows of the squared Euclidean norm of `x − y`, in Double:
    /// the one definition of reconstruction error (PCA and autoencoders).
    ///
    /// - Parameters:
    ///   - x: a matrix.
    ///   - y: a matrix of the same shape.
    /// - Throws: ``ArgumentError`` when the shapes differ.
    public static func meanSquaredResidual(_ x: Matrix, _ y: Matrix) throws(ArgumentError) -> Double {
        try check(
            x.rows == y.rows && x.columns == y.columns, "PCA.meanSquaredResidual", "x is \(x.shapeDescription) but y is \(y.shapeDescription)")
        return checkedMeanSquaredResidual(x, y)
    }

    /// ``meanSquaredResidual(_:_:)`` of matrices whose shapes the caller has checked.
    static func checkedMeanSquaredResidual(_ x: Matrix, _ y: Matrix) -> Double {
        guard x.rows > 0 else { return 0 }
        return x.withUnsafeBufferPointer { a in
            y.withUnsafeBufferPointer { b in
                var sum: Double = 0
                for i in 0..<a.count {
                    let r = Double(a[i]) - Double(b[i])
                    sum += r * r
                }
                return sum / Double(x.rows)
            }
        }
    }

    /// Multiplies column j of `z` by `factors[j]`.
    static func scaleColumns(_ z: inout Matrix, by factors: [Float]) {
        let rows = z.rows
        z.withUnsafeMutableBufferPointer { buffer in
            for (j, factor) in factors.enumerated() {
                for i in 0..<rows { buffer[i + j * rows] *= factor }
            }
        }
    }
}
