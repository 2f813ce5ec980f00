import Kernels

/// The backward pass between layers, on the trainer's workspace.
enum Backward {
    /// δ of the previous layer: δ_{l−1} = (δ_l·W_lᵀ ⊙ dropout mask) through
    /// the previous layer's units. Without dropout and for elementwise units
    /// the derivative is fused into the GEMM's epilogue.
    static func toPreviousLayer(
        _ l: Int, batch: Int, shapes: [LayerShape], weights: UnsafePointer<Float>, in ws: Workspace, threads: Int
    ) {
        let shape = shapes[l], previous = shapes[l - 1]
        let ld = max(1, batch)
        func gemm(into c: UnsafeMutablePointer<Float>, _ epilogue: GEMMEpilogue) {
            sgemm(
                transA: .noTranspose, transB: .transpose, m: batch, n: shape.inputs, k: shape.columns, alpha: 1,
                a: ws.delta[l].pointer, lda: ld, b: weights, ldb: max(1, shape.inputs), beta: 0, c: c, ldc: ld,
                epilogue: epilogue, options: GEMMOptions(threads: threads))
        }
        if case .activation(let f) = previous.units, ws.mask[l - 1] == nil {
            gemm(into: ws.delta[l - 1].pointer, .derivative(of: f, preActivations: ws.z[l - 1].pointer, ldz: ld, outputs: ws.a[l - 1].pointer, lda: ld))
            return
        }
        let upstream = ws.upstream[l - 1].pointer
        gemm(into: upstream, .none)
        if let mask = ws.mask[l - 1] {
            for i in 0..<(batch * previous.outputs) { upstream[i] *= mask.pointer[i] }
        }
        throughUnits(previous, batch: batch, upstream: upstream, layer: l - 1, in: ws)
    }

    /// δ = ∂L/∂z of layer `l` from ∂L/∂a (`upstream`).
    static func throughUnits(_ shape: LayerShape, batch: Int, upstream: UnsafeMutablePointer<Float>, layer l: Int, in ws: Workspace) {
        let count = batch * shape.outputs
        let delta = ws.delta[l].pointer
        switch shape.units {
        case .activation(let f):
            delta.update(from: upstream, count: count)
            Elementwise.multiplyByDerivative(
                of: f, z: UnsafeBufferPointer(start: ws.z[l].pointer, count: count),
                a: UnsafeBufferPointer(start: ws.a[l].pointer, count: count),
                gradient: UnsafeMutableBufferPointer(start: delta, count: count))
        case .softmax:
            // δᵢ = pᵢ ⊙ (gᵢ − gᵢ·pᵢ), per sample i.
            let p = ws.a[l].pointer
            for i in 0..<batch {
                var dot: Float = 0
                for j in 0..<shape.outputs { dot += upstream[i + j * batch] * p[i + j * batch] }
                for j in 0..<shape.outputs { delta[i + j * batch] = p[i + j * batch] * (upstream[i + j * batch] - dot) }
            }
        case .maxout(let pieces):
            // The gradient goes to the winning piece only.
            delta.update(repeating: 0, count: batch * shape.columns)
            let argmax = ws.argmax[l]
            for j in 0..<shape.outputs {
                for i in 0..<batch {
                    let piece = Int(argmax[i + j * batch])
                    delta[i + (j * pieces + piece) * batch] = upstream[i + j * batch]
                }
            }
        }
    }
}

/// Inverted dropout on a hidden layer's activations.
enum Dropout {
    /// out = a ⊙ mask with mask = 0 (probability `rate`) or 1/(1 − rate),
    /// drawn from `generator` in element order (deterministic for a seed).
    static func apply(
        rate: Float, count: Int, a: UnsafePointer<Float>, mask: UnsafeMutablePointer<Float>,
        into out: UnsafeMutablePointer<Float>, using generator: inout Xoshiro256
    ) {
        let keep = 1 / (1 - rate)
        // 24 random bits per element: the top bits of each 64-bit draw.
        for i in 0..<count {
            let u = Float(generator.next() >> 40) * 0x1p-24
            mask[i] = u < rate ? 0 : keep
            out[i] = a[i] * mask[i]
        }
    }
}
