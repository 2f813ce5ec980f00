import KernelsCore

/// The fused epilogue's vector code: applied by the drivers to each finished
/// panel of C, and by `sgemm` to all of C when there is no product to form.
extension GEMMEpilogue {
    /// Applies the epilogue to the (rows × columns) tile of C at `c`, which
    /// starts at (`row`, `column`) of the block this epilogue describes.
    func apply(row: Int, column: Int, rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch kind {
        case .none:
            return
        case .activation(let f, let bias, let z, let ldz):
            var tile = ForwardTile(
                rows: rows, columns: columns, c: c, ldc: ldc, bias: bias.map { $0 + column },
                z: z.map { $0 + row + column * ldz }, ldz: ldz)
            f.visit(PreferredMath.self, &tile)
        case .derivative(let f, let z, let ldz, let a, let lda):
            var tile = BackwardTile(
                rows: rows, columns: columns, c: c, ldc: ldc, z: z + row + column * ldz, ldz: ldz,
                a: a + row + column * lda, lda: lda)
            f.visit(PreferredMath.self, &tile)
        }
    }
}

/// z = c + bias[j] (stored when asked), c = f(z), column by column of a tile.
private struct ForwardTile: ActivationVisitor {
    let rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    let bias: UnsafePointer<Float>?, z: UnsafeMutablePointer<Float>?, ldz: Int

    func visit<F: ActivationFunction>(_ f: F) {
        for j in 0..<columns {
            ElementwiseLoop.addAndApply(f, count: rows, c + j * ldc, adding: bias?[j] ?? 0, z: z.map { $0 + j * ldz })
        }
    }
}

/// c = c ⊙ f′(z, a), column by column of a tile.
private struct BackwardTile: ActivationVisitor {
    let rows: Int, columns: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    let z: UnsafePointer<Float>, ldz: Int, a: UnsafePointer<Float>, lda: Int

    func visit<F: ActivationFunction>(_ f: F) {
        for j in 0..<columns {
            ElementwiseLoop.multiplyByDerivative(f, count: rows, gradient: c + j * ldc, z: z + j * ldz, a: a + j * lda)
        }
    }
}
