import Kernels

/// The block-size sweep behind Docs/GEMM.md: GFLOP/s of each micro-kernel at
/// 1 thread for a grid of KC and MC, on square n = 512 and 1024 (and n = 2048
/// without --quick).
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
                            print("""
                                {"suite":"gemm-sweep","kernel":"\(kernel)","n":\(n),"mc":\(mc),"kc":\(kc),\
                                "nc":\(blocking.nc),"threads":1,"gflops":\(format3(gflops))}
                                """)
                        }
                        line += Report.pad(Report.fixed(gflops, 1), 8)
                    }
                    if !options.json { print(line) }
                }
            }
        }
    }
}
