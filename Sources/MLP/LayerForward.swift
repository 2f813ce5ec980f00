import Kernels

/// The forward pass of one layer on raw buffers, shared by inference and
/// training. Samples are rows: `x` is (batch × inputs) with leading dimension
/// `batch`, and every output is (batch × width) with leading dimension `batch`.
enum LayerForward {
    /// Computes z = x·W + b and a = units(z).
    ///
    /// - `z`: where z goes (batch × columns); may be `nil` for elementwise
    ///   units at inference, when only a is wanted.
    /// - `argmax`: for maxout, which piece won, per element of a (training).
    static func run(
        _ layer: LayerShape, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        batch: Int, x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>?, a: UnsafeMutablePointer<Float>,
        argmax: UnsafeMutablePointer<Int32>?, threads: Int
    ) {
        let columns = layer.columns
        func gemm(into c: UnsafeMutablePointer<Float>, _ epilogue: GEMMEpilogue) {
            sgemm(
                transA: .noTranspose, transB: .noTranspose, m: batch, n: columns, k: layer.inputs, alpha: 1,
                a: x, lda: max(1, batch), b: w, ldb: max(1, layer.inputs), beta: 0,
                c: c, ldc: max(1, batch), epilogue: epilogue, options: GEMMOptions(threads: threads))
        }
        switch layer.units {
        case .activation(let f):
            gemm(into: a, .activation(f, bias: bias, preActivations: z, ldz: max(1, batch)))
        case .softmax:
            let logits = z ?? a
            gemm(into: logits, .activation(.identity, bias: bias))
            Softmax.probabilities(rows: batch, columns: columns, logits: logits, ldz: max(1, batch), into: a, ldp: max(1, batch))
        case .maxout(let pieces):
            guard let z else { preconditionFailure("maxout needs a buffer for its pieces") }
            gemm(into: z, .activation(.identity, bias: bias))
            maxout(batch: batch, units: layer.outputs, pieces: pieces, z: z, a: a, argmax: argmax)
        }
    }

    /// a[i, j] = max over p of z[i, j·pieces + p], remembering the winning p.
    static func maxout(
        batch: Int, units: Int, pieces: Int, z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>,
        argmax: UnsafeMutablePointer<Int32>?
    ) {
        for j in 0..<units {
            let out = a + j * batch, first = z + j * pieces * batch
            out.update(from: first, count: batch)
            argmax?.advanced(by: j * batch).update(repeating: 0, count: batch)
            for p in 1..<max(1, pieces) {
                let piece = first + p * batch
                for i in 0..<batch where piece[i] > out[i] || piece[i].isNaN {
                    out[i] = piece[i]
                    argmax?[j * batch + i] = Int32(p)
                }
            }
        }
    }

}

/// A layer's architecture without its parameters.
struct LayerShape: Equatable {
    var inputs: Int
    var outputs: Int
    var units: Units
    var hasBias: Bool
    /// Columns of W and z: outputs × pieces.
    var columns: Int { outputs * units.piecesPerUnit }
}

extension DenseLayer {
    var shape: LayerShape { LayerShape(inputs: inputs, outputs: outputs, units: units, hasBias: bias != nil) }

    /// Runs the forward pass with this layer's own parameters.
    func forward(
        batch: Int, x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>?, a: UnsafeMutablePointer<Float>,
        argmax: UnsafeMutablePointer<Int32>?, threads: Int
    ) {
        weights.withUnsafeBufferPointer { w in
            if let bias {
                bias.withUnsafeBufferPointer {
                    LayerForward.run(shape, weights: w.baseAddress!, bias: $0.baseAddress, batch: batch, x: x, z: z, a: a, argmax: argmax, threads: threads)
                }
            } else {
                LayerForward.run(shape, weights: w.baseAddress!, bias: nil, batch: batch, x: x, z: z, a: a, argmax: argmax, threads: threads)
            }
        }
    }
}
