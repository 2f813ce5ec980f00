import Kernels

/// Reusable memory for ``Network/predict(_:into:using:threads:)``: after the
/// first call with a given network and batch size, predictions allocate
/// nothing. A workspace serves one thread at a time; give each thread its own.
public final class PredictionWorkspace {
    private var arena: AlignedBuffer?
    private var floatsPerSample = 0, capacity = 0

    /// An empty workspace; it grows to what the first call needs.
    public init() {}

    /// Calls `body` with memory for `batch` samples of `network`: a z buffer
    /// as wide as the widest layer's columns and two activation buffers
    /// as wide as its widest outputs, used in turn.
    fileprivate func withMemory<R>(
        for network: Network, batch: Int,
        _ body: (_ z: UnsafeMutablePointer<Float>, _ a: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) -> R
    ) -> R {
        var columns = 0, outputs = 0
        for layer in network.layers {
            columns = max(columns, layer.weights.columns)
            outputs = max(outputs, layer.outputs)
        }
        let perSample = columns + 2 * outputs
        if arena == nil || perSample > floatsPerSample || batch > capacity {
            floatsPerSample = max(perSample, floatsPerSample)
            capacity = max(batch, capacity)
            arena = AlignedBuffer(count: floatsPerSample * capacity, repeating: 0)
        }
        let base = arena!.pointer
        return body(base, (base + columns * capacity, base + (columns + outputs) * capacity))
    }
}

extension Network {
    /// The smallest forward pass, in flops, that opens a parallel region:
    /// below it, waking threads costs more than they save.
    static let minimumFlopsForRegion = 1 << 22

    /// ``predict(_:threads:)`` into `output` (resized to samples × outputs
    /// when its shape differs), with buffers from `workspace`: allocation-free
    /// once `output` and `workspace` have their size.
    ///
    /// - Parameters:
    ///   - x: the (samples × inputs) inputs.
    ///   - output: the (samples × outputs) outputs; resized when its shape differs.
    ///   - workspace: the buffers the layers' activations go to; one per thread.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have ``inputs`` columns.
    public func predict(
        _ x: Matrix, into output: inout Matrix, using workspace: PredictionWorkspace, threads: Int? = nil
    ) throws(ArgumentError) {
        try checkInputs(x, "Network.predict")
        if output.rows != x.rows || output.columns != outputs { output = Matrix(rows: x.rows, columns: outputs) }
        output.withUnsafeMutableBufferPointer { out in
            forward(x, workspace: workspace, threads: threads) { result, _ in
                if let base = out.baseAddress { base.update(from: result, count: out.count) }
            }
        }
    }

    /// Rows per forward pass of a large input: bounds the activations'
    /// memory (4096 × the widest layers) whatever the row count.
    static let forwardBlockRows = 4096

    /// Activated outputs and the last layer's pre-activations, as matrices,
    /// computed ``forwardBlockRows`` rows at a time.
    func forward(_ x: Matrix, threads: Int?) -> (outputs: Matrix, logits: Matrix) {
        let columns = layers[layers.count - 1].weights.columns
        var outputs = Matrix(rows: x.rows, columns: self.outputs)
        var logits = Matrix(rows: x.rows, columns: columns)
        let workspace = PredictionWorkspace()
        outputs.withUnsafeMutableBufferPointer { out in
            logits.withUnsafeMutableBufferPointer { z in
                for start in stride(from: 0, to: x.rows, by: Self.forwardBlockRows) {
                    let count = min(Self.forwardBlockRows, x.rows - start)
                    let block = count == x.rows ? x : x.rows(at: Array(start..<(start + count)))
                    forward(block, workspace: workspace, threads: threads) { result, lastZ in
                        guard let out = out.baseAddress, let z = z.baseAddress else { return }
                        for j in 0..<self.outputs { (out + j * x.rows + start).update(from: result + j * count, count: count) }
                        for j in 0..<columns { (z + j * x.rows + start).update(from: lastZ + j * count, count: count) }
                    }
                }
            }
        }
        return (outputs, logits)
    }

    // x (batch × inputs) → body(a, z): the last layer's a (batch × outputs) and z (batch × columns)
    /// The forward pass through every layer in `workspace`'s memory; a large
    /// batch runs in one parallel region. The caller has checked `x`'s width.
    private func forward(
        _ x: Matrix, workspace: PredictionWorkspace, threads: Int?,
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> Void
    ) {
        let threads = threads ?? Threading.threadCount, batch = x.rows
        guard batch > 0 else { return }
        let flops = 2 * batch * layers.reduce(0) { $0 + $1.weights.count }
        func pass() {
            workspace.withMemory(for: self, batch: batch) { z, buffers in
                x.withUnsafeBufferPointer { input in
                    var a = buffers
                    var current = input.baseAddress!
                    for (l, layer) in layers.enumerated() {
                        let keepZ = l == layers.count - 1 || layer.units.piecesPerUnit > 1 || layer.units == .softmax
                        layer.weights.withUnsafeBufferPointer { w in
                            withBias(layer) { b in
                                LayerPass.forward(
                                    layer.shape, z: keepZ ? z : nil, a: a.0, argmax: nil, x: current, w: w.baseAddress!, b: b,
                                    batch: batch, threads: threads)
                            }
                        }
                        current = UnsafePointer(a.0)
                        a = (a.1, a.0)
                    }
                    body(current, z)
                }
            }
        }
        if flops >= Self.minimumFlopsForRegion && threads > 1 {
            Threading.withParallelRegion(threads: threads) { pass() }
        } else {
            pass()
        }
    }

    private func withBias<R>(_ layer: DenseLayer, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let bias = layer.bias else { return body(nil) }
        return bias.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
