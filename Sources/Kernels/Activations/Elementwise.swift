/// Vectorized elementwise kernels over float buffers: exp, log, the
/// activations of ``Activation`` and their derivatives.
///
/// Results are independent of the thread count and of the vector width (every
/// element goes through the same lane arithmetic). Arrays of at least
/// ``minimumElementsPerThread`` floats per thread are split across threads.
/// Input and output may be the same buffer; otherwise they must not overlap.
public enum Elementwise {
    /// The smallest run of elements worth handing to another thread: below
    /// it, waking a thread costs more than the work. Measured on the 2-vCPU
    /// machine of Docs/Performance.md: two threads were slower than one for
    /// exp, sigmoid and ReLU on every array up to 256 Ki floats, and at best
    /// even at 512 Ki.
    public static let minimumElementsPerThread = 1 << 19

    /// `y[i] = eˣ⁽ⁱ⁾`.
    ///
    /// - Parameters:
    ///   - x: the inputs.
    ///   - y: the outputs, as many as the inputs; may be the inputs' own memory.
    ///   - options: threads, vector width and variant.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func exp(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init(),
        file: StaticString = #fileID, line: UInt = #line
    ) {
        checkCounts("exp", x.count, y.count, file: file, line: line)
        forEachRun(x, y, options, file, line) { implementation, width, x, y, count in
            implementation.exp(count: count, x, into: y, width: width)
        }
    }

    /// `y[i] = ln x[i]`.
    ///
    /// - Parameters:
    ///   - x: the inputs.
    ///   - y: the outputs, as many as the inputs; may be the inputs' own memory.
    ///   - options: threads, vector width and variant.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func log(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init(),
        file: StaticString = #fileID, line: UInt = #line
    ) {
        checkCounts("log", x.count, y.count, file: file, line: line)
        forEachRun(x, y, options, file, line) { implementation, width, x, y, count in
            implementation.log(count: count, x, into: y, width: width)
        }
    }

    /// `a[i] = f(z[i])`.
    ///
    /// - Parameters:
    ///   - f: the activation.
    ///   - z: the pre-activations.
    ///   - a: the outputs, as many as `z`; may be `z`'s own memory.
    ///   - options: threads, vector width and variant.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func apply(
        _ f: Activation, to z: UnsafeBufferPointer<Float>, into a: UnsafeMutableBufferPointer<Float>,
        options: ElementwiseOptions = .init(),
        file: StaticString = #fileID, line: UInt = #line
    ) {
        checkCounts("apply", z.count, a.count, file: file, line: line)
        forEachRun(z, a, options, file, line) { implementation, width, z, a, count in
            implementation.apply(f, count: count, z, into: a, width: width)
        }
    }

    /// `d[i] = f′(z[i])`, given the pre-activations `z` and the outputs `a = f(z)`.
    ///
    /// - Parameters:
    ///   - f: the activation.
    ///   - z: the pre-activations.
    ///   - a: the outputs f(z), as many as `z`.
    ///   - d: the derivatives, as many as `z`.
    ///   - options: threads, vector width and variant.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func derivative(
        of f: Activation, z: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>,
        into d: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init(),
        file: StaticString = #fileID, line: UInt = #line
    ) {
        checkCounts("derivative", z.count, a.count, d.count, file: file, line: line)
        guard let zBase = z.baseAddress, let aBase = a.baseAddress else { return }
        forEachRun(z, d, options, file, line) { implementation, width, z, d, count in
            implementation.derivative(of: f, count: count, z: z, a: aBase + (z - zBase), into: d, width: width)
        }
    }

    /// `g[i] ← g[i]·f′(z[i])`: the backward step through an activation.
    ///
    /// - Parameters:
    ///   - f: the activation.
    ///   - z: the pre-activations.
    ///   - a: the outputs f(z), as many as `z`.
    ///   - g: the upstream gradient ∂L/∂a on entry, ∂L/∂z on return; as many as `z`.
    ///   - options: threads, vector width and variant.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public static func multiplyByDerivative(
        of f: Activation, z: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>,
        gradient g: UnsafeMutableBufferPointer<Float>, options: ElementwiseOptions = .init(),
        file: StaticString = #fileID, line: UInt = #line
    ) {
        checkCounts("multiplyByDerivative", z.count, a.count, g.count, file: file, line: line)
        guard let zBase = z.baseAddress, let aBase = a.baseAddress else { return }
        forEachRun(z, g, options, file, line) { implementation, width, z, g, count in
            implementation.multiplyByDerivative(of: f, count: count, z: z, a: aBase + (z - zBase), gradient: g, width: width)
        }
    }

    /// Calls `body(implementation, width, x + i, y + i, count)` for one run of
    /// elements per worker (all of them when the array is small), with the
    /// variant chosen once for the whole pass.
    private static func forEachRun(
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, _ options: ElementwiseOptions,
        _ file: StaticString, _ line: UInt,
        _ body: (any KernelImplementation.Type, VectorWidth, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) {
        let count = y.count
        guard let x = x.baseAddress, let y = y.baseAddress else { return }
        let threads = options.threads ?? Threading.threadCount
        require(threads >= 1, "Elementwise: options.threads = \(threads) must be ≥ 1", file: file, line: line)
        let implementation = KernelDispatch.implementation(for: options.variant)
        let width = options.width ?? .preferred(in: implementation.variant)
        parallelRanges(count: count, threads: threads, minimumPerWorker: minimumElementsPerThread) { range in
            body(implementation, width, x + range.lowerBound, y + range.lowerBound, range.count)
        }
    }

    private static func checkCounts(_ name: StaticString, _ counts: Int..., file: StaticString, line: UInt) {
        for count in counts where count != counts[0] {
            requirementFailed(
                "Elementwise.\(name): buffer counts differ: \(counts.map(String.init).joined(separator: ", "))",
                file: file, line: line)
        }
    }
}

/// Per-call settings for the ``Elementwise`` kernels.
public struct ElementwiseOptions: Sendable, Hashable {
    /// Threads to use; `nil` uses ``Threading/threadCount``.
    public var threads: Int?
    /// The vector width; `nil` uses the variant's preferred width
    /// (``VectorWidth/preferred`` for the active variant).
    public var width: VectorWidth?
    /// The variant to run, for tests and benchmarks that compare them; `nil`
    /// uses ``KernelVariant/active``. It must be one of ``KernelVariant/supported``.
    public var variant: KernelVariant?

    /// Creates options; every `nil` means the default.
    ///
    /// - Parameters:
    ///   - threads: the most threads a pass uses; `nil` uses `Threading.threadCount`.
    ///   - width: the vector width; `nil` uses the widest the variant has.
    ///   - variant: the kernel variant to run; `nil` uses `KernelVariant.active`.
    public init(threads: Int? = nil, width: VectorWidth? = nil, variant: KernelVariant? = nil) {
        self.threads = threads
        self.width = width
        self.variant = variant
    }
}

extension VectorWidth {
    /// The preferred width of the active variant.
    public static var preferred: VectorWidth { preferred(in: .active) }

    /// `simd16` when `variant` has 512-bit registers, else `simd8`.
    ///
    /// - Parameter variant: the kernel variant.
    public static func preferred(in variant: KernelVariant) -> VectorWidth {
        variant.hasWideVectors ? .simd16 : .simd8
    }
}
