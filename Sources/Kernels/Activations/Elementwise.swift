/// Vectorized elementwise kernels over float buffers: exp, log, the
/// activations of ``Activation`` and their derivatives.
///
/// Results are independent of the thread count and of the vector width (every
/// element goes through the same lane arithmetic). Arrays of at least
/// ``minimumElementsPerThread`` floats per thread are split across threads.
/// Input and output may be the same buffer; otherwise they must not overlap.
public enum Elementwise {
    /// The smallest run of elements worth handing to another thread: below
    /// it, waking a thread costs more than the work (measured with
    /// `kernels-bench activations`, Docs/Performance.md).
    public static let minimumElementsPerThread = 1 << 15

    /// `y[i] = eˣ⁽ⁱ⁾`.
    public static func exp(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init()
    ) {
        unary(.exp, x, into: y, options: options)
    }

    /// `y[i] = ln x[i]`.
    public static func log(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init()
    ) {
        unary(.log, x, into: y, options: options)
    }

    /// `a[i] = f(z[i])`.
    public static func apply(
        _ f: Activation, to z: UnsafeBufferPointer<Float>, into a: UnsafeMutableBufferPointer<Float>,
        options: ElementwiseOptions = .init()
    ) {
        unary(.activation(f), z, into: a, options: options)
    }

    /// `d[i] = f′(z[i])`, given the pre-activations `z` and the outputs `a = f(z)`.
    public static func derivative(
        of f: Activation, z: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>,
        into d: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init()
    ) {
        checkCounts("derivative", z.count, a.count, d.count)
        run(count: d.count, options: options, z.baseAddress, a.baseAddress, z.baseAddress, into: d) { m, count, z, a, _, d in
            switch m {
            case .simd8: mapVectors(VectorMath8.self, count: count, z, a, z, into: d) { z, a, _ in f.derivative(VectorMath8.self, z: z, a: a) }
            case .simd16: mapVectors(VectorMath16.self, count: count, z, a, z, into: d) { z, a, _ in f.derivative(VectorMath16.self, z: z, a: a) }
            }
        }
    }

    /// `g[i] ← g[i]·f′(z[i])`: the backward step through an activation.
    public static func multiplyByDerivative(
        of f: Activation, z: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>,
        gradient g: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init()
    ) {
        checkCounts("multiplyByDerivative", z.count, a.count, g.count)
        run(count: g.count, options: options, UnsafePointer(g.baseAddress), z.baseAddress, a.baseAddress, into: g) {
            m, count, g, z, a, out in
            switch m {
            case .simd8: mapVectors(VectorMath8.self, count: count, g, z, a, into: out) { g, z, a in g * f.derivative(VectorMath8.self, z: z, a: a) }
            case .simd16: mapVectors(VectorMath16.self, count: count, g, z, a, into: out) { g, z, a in g * f.derivative(VectorMath16.self, z: z, a: a) }
            }
        }
    }

    enum Unary {
        case exp, log, activation(Activation)
    }

    static func unary(
        _ function: Unary, _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>,
        options: ElementwiseOptions
    ) {
        checkCounts("\(function)", x.count, y.count)
        run(count: y.count, options: options, x.baseAddress, x.baseAddress, x.baseAddress, into: y) { m, count, x, _, _, y in
            switch (m, function) {
            case (.simd8, .exp): mapVectors(VectorMath8.self, count: count, x, x, x, into: y) { x, _, _ in VectorMath8.exp(x) }
            case (.simd16, .exp): mapVectors(VectorMath16.self, count: count, x, x, x, into: y) { x, _, _ in VectorMath16.exp(x) }
            case (.simd8, .log): mapVectors(VectorMath8.self, count: count, x, x, x, into: y) { x, _, _ in VectorMath8.log(x) }
            case (.simd16, .log): mapVectors(VectorMath16.self, count: count, x, x, x, into: y) { x, _, _ in VectorMath16.log(x) }
            case (.simd8, .activation(let f)): activate(f, VectorMath8.self, count: count, x, into: y)
            case (.simd16, .activation(let f)): activate(f, VectorMath16.self, count: count, x, into: y)
            }
        }
    }

    /// One specialized loop per activation, so no switch runs per vector.
    static func activate<M: VectorMath>(
        _ f: Activation, _ m: M.Type, count: Int, _ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>
    ) {
        switch f {
        case .identity: if UnsafePointer(a) != z { a.update(from: z, count: count) }
        case .step: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.step(z) }
        case .sigmoid: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.sigmoid(z) }
        case .tanh: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.tanh(z) }
        case .relu: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.relu(z) }
        case .leakyReLU(let slope): mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.leakyReLU(z, slope: slope) }
        case .softplus: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.softplus(z) }
        case .hardSigmoid: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.hardSigmoid(z) }
        case .gelu: mapVectors(m, count: count, z, z, z, into: a) { z, _, _ in M.gelu(z) }
        }
    }

    /// Runs `kernel` over `count` elements, split across threads when large.
    private static func run(
        count: Int, options: ElementwiseOptions,
        _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?,
        into out: UnsafeMutableBufferPointer<Float>,
        _ kernel: (VectorWidth, Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        guard count > 0, let x, let y, let w, let out = out.baseAddress else { return }
        let threads = options.threads ?? Threading.threadCount
        require(threads >= 1, "Elementwise: options.threads = \(threads) must be ≥ 1")
        let width = options.width ?? .preferred
        parallelRanges(count: count, threads: threads, minimumPerWorker: minimumElementsPerThread) { range in
            let i = range.lowerBound
            kernel(width, range.count, x + i, y + i, w + i, out + i)
        }
    }

    private static func checkCounts(_ name: String, _ counts: Int...) {
        require(Set(counts).count <= 1, "Elementwise.\(name): buffer counts differ: \(counts.map(String.init).joined(separator: ", "))")
    }
}

/// Per-call settings for the ``Elementwise`` kernels.
public struct ElementwiseOptions: Sendable, Hashable {
    /// Threads to use; `nil` uses ``Threading/threadCount``.
    public var threads: Int?
    /// The vector width; `nil` uses ``VectorWidth/preferred``.
    public var width: VectorWidth?

    /// Creates options; every `nil` means the default.
    public init(threads: Int? = nil, width: VectorWidth? = nil) {
        self.threads = threads
        self.width = width
    }
}
