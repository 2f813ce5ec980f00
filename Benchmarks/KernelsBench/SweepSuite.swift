import Kernels

/// The block-size sweep behind Docs/GEMM.md: GFLOP/s of each micro-kernel at
/// 1 thread for a grid of KC and MC, on square n = 512 and 1024 (and n = 2048
/// without --quick); then, at the default MC and KC, the outer blocks NC and
/// MS at n = 2048 and 4096 on 1 and all threads (n = 2048 only with --quick).
struct SweepSuite {
    let options: Options

    func run() {
        let sizes = options.quick ? [512, 1024] : [512, 1024, 2048]
        let kcs = [128, 192, 256, 320, 384, 512]
        let mcs = [96, 192, 288, 384, 480]
        if !options.json {
            print("gemm-sweep — build: \(BuildConfiguration.summary); 1 thread; GFLOP/s per (MC, KC)")
        }
        for kernel in GEMMMicroKernel.allCases where kernel.isAvailable {
            for n in sizes {
                let shape = GEMMShape(label: "square \(n)", m: n, n: n, k: n)
                var operands = Operands(shape)
                if !options.json {
                    print("\n\(kernel), n = \(n)\n" + Report.pad("MC \\ KC", 10) + kcs.map { Report.pad("\($0)", 8) }.joined())
                }
                for mc in mcs {
                    var line = Report.pad("\(mc)", 10)
                    for kc in kcs {
                        var blocking = GEMMBlocking.defaults(for: kernel)
                        (blocking.mc, blocking.kc) = (mc, kc)
                        let seconds = operands.secondsPerCall(
                            shape, options: GEMMOptions(threads: 1, microKernel: kernel, blocking: blocking),
                            sampling: .fixed(3, seconds: options.quick ? 0.03 : 0.1))
                        let gflops = shape.flops / seconds * 1e-9
                        if options.json {
                            print(
                                """
                                {"suite":"gemm-sweep","kernel":"\(kernel)","n":\(n),"mc":\(mc),"kc":\(kc),\
                                "nc":\(blocking.nc),"threads":1,"gflops":\(format3(gflops))}
                                """)
                        }
                        line += Report.pad(Report.fixed(gflops, 1), 8)
                    }
                    if !options.json { print(line) }
                }
            }
            sweepOuterBlocks(kernel)
        }
    }

    /// NC and MS, one at a time, around the defaults.
    func sweepOuterBlocks(_ kernel: GEMMMicroKernel) {
        let defaults = GEMMBlocking.defaults(for: kernel)
        var variants: [(String, GEMMBlocking)] = [("default", defaults)]
        for nc in [252, 504, 2040] {
            var b = defaults
            b.nc = nc
            variants.append(("nc \(nc)", b))
        }
        for ms in [1056, 2112, 8256] {
            var b = defaults
            b.ms = ms
            variants.append(("ms \(ms)", b))
        }
        for n in options.quick ? [2048] : [2048, 4096] {
            let shape = GEMMShape(label: "square \(n)", m: n, n: n, k: n)
            var operands = Operands(shape)
            for threads in Set([1, options.threads]).sorted() {
                if !options.json { print("\n\(kernel), n = \(n), \(threads) thread(s): GFLOP/s per NC and MS") }
                for (label, blocking) in variants {
                    let seconds = operands.secondsPerCall(
                        shape, options: GEMMOptions(threads: threads, microKernel: kernel, blocking: blocking),
                        sampling: .fixed(3, seconds: options.quick ? 0.05 : 0.2))
                    let gflops = shape.flops / seconds * 1e-9
                    if options.json {
                        print(
                            """
                            {"suite":"gemm-sweep","kernel":"\(kernel)","n":\(n),"mc":\(blocking.mc),"kc":\(blocking.kc),\
                            "nc":\(blocking.nc),"ms":\(blocking.ms),"threads":\(threads),"gflops":\(format3(gflops))}
                            """)
                    } else {
                        print(Report.pad(label, 12) + "mc \(blocking.mc) kc \(blocking.kc) nc \(blocking.nc) ms \(blocking.ms)  " + Report.fixed(gflops, 1))
                    }
                }
            }
        }
    }
}
