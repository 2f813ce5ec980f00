import Dispatch
import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The activations suite: elementwise throughput against a plain copy and a
/// scalar libm loop, and the fused layer forward/backward against the plain
/// GEMM and GEMM-then-separate-passes (Docs/Performance.md).
struct ActivationsSuite {
    let options: Options
    private var stderr = StandardError()

    init(options: Options) { self.options = options }

    /// Cache-resident (in + out = 256 KiB ≤ L2) and larger than L3 (64 MiB per buffer).
    var sizes: [Int] { [1 << 15, 1 << 24] }
    var sampleSeconds: Double { options.quick ? 0.03 : 0.12 }
    var threadCounts: [Int] { options.threads == 1 ? [1] : [1, options.threads] }

    /// A kernel of the elementwise table: streams read and written per element.
    struct Kernel {
        var name: String
        var streams: Int
        var run: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, ElementwiseOptions) -> Void
        var scalar: ((Float) -> Float)?
    }

    static var kernels: [Kernel] {
        var list = [
            Kernel(name: "copy", streams: 2, run: { x, y, _, o in copy(x, y, threads: o.threads ?? 1) }, scalar: nil),
            Kernel(name: "exp", streams: 2, run: { x, y, _, o in Elementwise.exp(UnsafeBufferPointer(x), into: y, options: o) }, scalar: { expf($0) }),
            Kernel(name: "log", streams: 2, run: { x, y, _, o in Elementwise.log(UnsafeBufferPointer(x), into: y, options: o) }, scalar: { logf($0) }),
        ]
        let scalars: [String: (Float) -> Float] = [
            "sigmoid": { 1 / (1 + expf(-$0)) }, "tanh": { tanhf($0) }, "relu": { max($0, 0) },
            "leaky-relu(0.01)": { $0 < 0 ? 0.01 * $0 : $0 }, "softplus": { max($0, 0) + log1pf(expf(-abs($0))) },
            "hard-sigmoid": { min(1, max(0, $0)) }, "gelu": { 0.5 * $0 * (1 + tanhf(0.797_884_56 * ($0 + 0.044_715 * $0 * $0 * $0))) },
            "step": { $0 > 0 ? 1 : 0 },
        ]
        for f in Activation.allCases where f != .identity {
            list.append(
                Kernel(
                    name: "\(f)", streams: 2,
                    run: { x, y, _, o in Elementwise.apply(f, to: UnsafeBufferPointer(x), into: y, options: o) },
                    scalar: scalars["\(f)"]))
        }
        for f in Activation.allCases where f.isDifferentiable && f != .identity {
            list.append(
                Kernel(
                    name: "\(f)-backward", streams: 4,
                    run: { x, y, w, o in
                        Elementwise.multiplyByDerivative(of: f, z: UnsafeBufferPointer(x), a: UnsafeBufferPointer(w), gradient: y, options: o)
                    },
                    scalar: nil))
        }
        return list
    }

    /// A memcpy split across threads: the bandwidth baseline. Addresses cross
    /// into the workers as integers (pointers are not `Sendable`).
    static func copy(_ x: UnsafeMutableBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, threads: Int) {
        let count = x.count, chunk = (count + threads - 1) / threads
        let source = Int(bitPattern: x.baseAddress), destination = Int(bitPattern: y.baseAddress)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lower = t * chunk, upper = min(count, lower + chunk)
            guard lower < upper, let from = UnsafeRawPointer(bitPattern: source + 4 * lower),
                let to = UnsafeMutableRawPointer(bitPattern: destination + 4 * lower)
            else { return }
            memcpy(to, from, (upper - lower) * 4)
        }
    }

    mutating func run() {
        print("activations suite — build: \(BuildConfiguration.summary); vector width \(VectorWidth.preferred)", to: &stderr)
        if !options.json {
            print(
                Report.pad("kernel", 22) + Report.pad("elements", 10) + Report.pad("thr", 5) + Report.pad("Gelem/s", 9)
                    + Report.pad("GB/s", 8) + Report.pad("%copy", 7) + Report.pad("scalar", 8) + "×scalar")
        }
        for size in sizes {
            var x = Buffer(count: size, seed: 1), y = Buffer(count: size, seed: 2), w = Buffer(count: size, seed: 3)
            for threads in threadCounts {
                var copyGBs = 0.0
                for kernel in Self.kernels {
                    let o = ElementwiseOptions(threads: threads)
                    let seconds = Stopwatch.bestSecondsPerCall(sampleSeconds: sampleSeconds) {
                        kernel.run(x.pointer, y.pointer, w.pointer, o)
                    }
                    let gelems = Double(size) / seconds * 1e-9
                    let gbs = gelems * Double(4 * kernel.streams)
                    if kernel.name == "copy" { copyGBs = gbs }
                    var scalarGelems: Double?
                    if let scalar = kernel.scalar, threads == 1, size == sizes[0] {
                        let s = Stopwatch.bestSecondsPerCall(sampleSeconds: sampleSeconds) {
                            for i in 0..<size { y.pointer[i] = scalar(x.pointer[i]) }
                        }
                        scalarGelems = Double(size) / s * 1e-9
                    }
                    report(kernel.name, size, threads, gelems, gbs, copyGBs, scalarGelems)
                }
            }
            x.free()
            y.free()
            w.free()
        }
        runFused()
    }

    private mutating func report(_ name: String, _ size: Int, _ threads: Int, _ gelems: Double, _ gbs: Double, _ copyGBs: Double, _ scalar: Double?) {
        if options.json {
            print(
                """
                {"suite":"activations","kernel":"\(name)","elements":\(size),"threads":\(threads),\
                "gelems_per_s":\(format3(gelems)),"gb_per_s":\(format3(gbs)),"scalar_gelems_per_s":\(scalar.map(format3) ?? "null")}
                """)
            return
        }
        print(
            Report.pad(name, 22) + Report.pad("\(size)", 10) + Report.pad("\(threads)", 5) + Report.pad(Report.fixed(gelems, 2), 9)
                + Report.pad(Report.fixed(gbs, 1), 8) + Report.pad(Report.fixed(100 * gbs / copyGBs, 0), 7)
                + Report.pad(scalar.map { Report.fixed($0, 2) } ?? "", 8) + (scalar.map { Report.fixed(gelems / $0, 1) + "×" } ?? ""))
    }

    // MARK: Fused layer

    /// One layer's forward (NN, bias + activation, z stored) or backward (NT
    /// dX ⊙ f′ of the previous layer) GEMM, as a training step issues it.
    struct LayerShape {
        var label: String
        var backward: Bool
        var m: Int, n: Int, k: Int
        var activation: Activation
    }

    static func layerShapes(network: String, batch: Int, widths: [Int]) -> [LayerShape] {
        var shapes: [LayerShape] = []
        for layer in 0..<(widths.count - 1) {
            let input = widths[layer], output = widths[layer + 1]
            let hidden = layer + 2 < widths.count
            let name = "\(network) L\(layer + 1) \(input)→\(output)"
            shapes.append(LayerShape(label: name, backward: false, m: batch, n: output, k: input, activation: hidden ? .relu : .identity))
            if layer > 0 {
                // δ of layer `layer` = (δ′ · Wᵀ) ⊙ f′(z) with f the previous layer's ReLU.
                shapes.append(LayerShape(label: name, backward: true, m: batch, n: input, k: output, activation: .relu))
            }
        }
        return shapes
    }

    private mutating func runFused() {
        let shapes =
            Self.layerShapes(network: "A", batch: 64, widths: [1000, 100, 10])
            + Self.layerShapes(network: "B", batch: 128, widths: [784, 256, 128, 10])
        if !options.json {
            print(
                "\n" + Report.pad("layer", 20) + Report.pad("pass", 10) + Report.pad("m×n×k", 14) + Report.pad("f", 9) + Report.pad("thr", 5)
                    + Report.pad("gemm µs", 9) + Report.pad("fused µs", 10) + Report.pad("unfused µs", 12) + Report.pad("fused/gemm", 11) + "unfused/gemm")
        }
        for shape in shapes {
            for threads in threadCounts {
                let (gemm, fused, unfused) = measure(shape, threads: threads)
                if options.json {
                    print(
                        """
                        {"suite":"activations","kernel":"\(shape.backward ? "fused-backward" : "fused-forward")","label":"\(shape.label)",\
                        "activation":"\(shape.activation)","m":\(shape.m),"n":\(shape.n),"k":\(shape.k),"threads":\(threads),\
                        "gemm_ms":\(format6(gemm * 1e3)),"fused_ms":\(format6(fused * 1e3)),"unfused_ms":\(format6(unfused * 1e3))}
                        """)
                } else {
                    print(
                        Report.pad(shape.label, 20) + Report.pad(shape.backward ? "backward" : "forward", 10)
                            + Report.pad("\(shape.m)×\(shape.n)×\(shape.k)", 14) + Report.pad("\(shape.activation)", 9) + Report.pad("\(threads)", 5)
                            + Report.pad(Report.fixed(gemm * 1e6, 1), 9) + Report.pad(Report.fixed(fused * 1e6, 1), 10)
                            + Report.pad(Report.fixed(unfused * 1e6, 1), 12) + Report.pad(Report.fixed(fused / gemm, 3), 11)
                            + Report.fixed(unfused / gemm, 3))
                }
            }
        }
    }

    /// Seconds per call of the plain GEMM, the fused GEMM and GEMM followed by
    /// the separate bias/activation (or derivative) passes, measured
    /// interleaved so that drift affects all three alike.
    private func measure(_ s: LayerShape, threads: Int) -> (Double, Double, Double) {
        var a = Buffer(count: s.m * s.k, seed: 4), b = Buffer(count: s.k * s.n, seed: 5)
        var c = Buffer(count: s.m * s.n, seed: 6), z = Buffer(count: s.m * s.n, seed: 7)
        var act = Buffer(count: s.m * s.n, seed: 8), bias = Buffer(count: s.n, seed: 9)
        defer {
            a.free()
            b.free()
            c.free()
            z.free()
            act.free()
            bias.free()
        }
        let transB: Transpose = s.backward ? .transpose : .noTranspose
        let ldb = s.backward ? s.n : s.k
        let gemmOptions = GEMMOptions(threads: threads), elementwise = ElementwiseOptions(threads: threads)
        func gemm(_ epilogue: GEMMEpilogue, into out: UnsafeMutablePointer<Float>) {
            sgemm(
                transA: .noTranspose, transB: transB, m: s.m, n: s.n, k: s.k, alpha: 1, a: a.pointer.baseAddress!, lda: s.m,
                b: b.pointer.baseAddress!, ldb: ldb, beta: 0, c: out, ldc: s.m, epilogue: epilogue, options: gemmOptions)
        }
        let plain = { gemm(.none, into: c.pointer.baseAddress!) }
        let fused: () -> Void
        let unfused: () -> Void
        if s.backward {
            let epilogue = GEMMEpilogue.derivative(
                of: s.activation, preActivations: z.pointer.baseAddress!, ldz: s.m, outputs: act.pointer.baseAddress!, lda: s.m)
            fused = { gemm(epilogue, into: c.pointer.baseAddress!) }
            unfused = {
                gemm(.none, into: c.pointer.baseAddress!)
                Elementwise.multiplyByDerivative(
                    of: s.activation, z: UnsafeBufferPointer(z.pointer), a: UnsafeBufferPointer(act.pointer), gradient: c.pointer,
                    options: elementwise)
            }
        } else {
            let epilogue = GEMMEpilogue.activation(
                s.activation, bias: bias.pointer.baseAddress!, preActivations: z.pointer.baseAddress!, ldz: s.m)
            fused = { gemm(epilogue, into: act.pointer.baseAddress!) }
            unfused = {
                gemm(.none, into: z.pointer.baseAddress!)
                for j in 0..<s.n {
                    let column = z.pointer.baseAddress! + j * s.m, value = bias.pointer[j]
                    for i in 0..<s.m { column[i] += value }
                }
                Elementwise.apply(s.activation, to: UnsafeBufferPointer(z.pointer), into: act.pointer, options: elementwise)
            }
        }
        var best = (Double.infinity, Double.infinity, Double.infinity)
        for _ in 0..<(options.quick ? 3 : 7) {
            best.0 = min(best.0, Stopwatch.bestSecondsPerCall(samples: 1, sampleSeconds: sampleSeconds / 3, plain))
            best.1 = min(best.1, Stopwatch.bestSecondsPerCall(samples: 1, sampleSeconds: sampleSeconds / 3, fused))
            best.2 = min(best.2, Stopwatch.bestSecondsPerCall(samples: 1, sampleSeconds: sampleSeconds / 3, unfused))
        }
        return best
    }
}

/// A 64-byte aligned float buffer with uniform values in [−2, 2].
struct Buffer {
    var pointer: UnsafeMutableBufferPointer<Float>

    init(count: Int, seed: UInt64) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: count), count: count)
        var g = Xoshiro256(seed: seed)
        for i in 0..<count { pointer[i] = Float.random(in: -2...2, using: &g) }
    }

    mutating func free() { UnsafeMutableRawPointer(pointer.baseAddress!).deallocate() }
}

/// Formats with six decimals (milliseconds of short calls).
func format6(_ x: Double) -> String {
    let micro = Int((x * 1e6).rounded())
    let fraction = String(micro % 1_000_000)
    return "\(micro / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
}
