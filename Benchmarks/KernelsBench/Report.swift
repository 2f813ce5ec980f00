import Kernels

/// Prints the gemm suite as a table, or as one JSON object per line.
struct Report {
    let json: Bool
    private var stderr = StandardError()

    init(json: Bool) { self.json = json }

    mutating func header(build: String, blas: String?, peaks: [(threads: Int, peak8: Double, peak16: Double)]) {
        var lines = ["gemm suite — build: \(build); system BLAS: \(blas ?? "n/a")", Self.configuration]
        for peak in peaks {
            lines.append("peak on \(peak.threads) thread(s): SIMD8 \(Self.fixed(peak.peak8, 1)) GFLOP/s, SIMD16 \(Self.fixed(peak.peak16, 1)) GFLOP/s")
        }
        if json {
            for line in lines { print(line, to: &stderr) }
            print(Self.configurationJSON)
            return
        }
        for line in lines { print(line) }
        print("")
        print(
            Self.pad("shape", 24) + Self.pad("op", 4) + Self.pad("m×n×k", 16) + Self.pad("thr", 5) + Self.pad("kernel", 8)
                + Self.pad("GFLOP/s", 9) + Self.pad("%pk8", 7) + Self.pad("%pk16", 7) + Self.pad("BLAS", 9) + "ours/BLAS")
    }

    /// The caches found and the block sizes derived from them, one line.
    static var configuration: String {
        let c = CPUCaches.current
        func size(_ bytes: Int?) -> String { bytes.map { "\($0 / 1024) KiB" } ?? "?" }
        let blocks = blockings.map { kernel, b in "\(kernel) MC \(b.mc) KC \(b.kc) NC \(b.nc) MS \(b.ms)" }
        return "caches (\(c.source)): L1d \(size(c.l1Data)), L2 \(size(c.l2)), L3 \(size(c.l3)) shared by \(c.l3SharedBy); "
            + "blocking: \(blocks.joined(separator: "; "))"
    }

    /// `configuration` as the suite's `gemm-config` JSON line.
    static var configurationJSON: String {
        let c = CPUCaches.current
        func number(_ x: Int?) -> String { x.map(String.init) ?? "null" }
        let blocks = blockings.map { kernel, b in "\"\(kernel)\":{\"mc\":\(b.mc),\"kc\":\(b.kc),\"nc\":\(b.nc),\"ms\":\(b.ms)}" }
        return """
            {"suite":"gemm-config","variant":"\(KernelVariant.active)","cache_source":"\(c.source)","l1d_bytes":\(number(c.l1Data)),\
            "l2_bytes":\(number(c.l2)),"l3_bytes":\(number(c.l3)),"l3_shared_by":\(c.l3SharedBy),"blocking":{\(blocks.joined(separator: ","))}}
            """
    }

    /// Each micro-kernel of the active variant with its default blocking.
    private static var blockings: [(GEMMMicroKernel, GEMMBlocking)] {
        GEMMMicroKernel.allCases.filter(\.isAvailable).map { ($0, GEMMBlocking.defaults(for: $0)) }
    }

    mutating func row(_ r: GEMMMeasurement) {
        if json {
            print(r.json)
            return
        }
        let op = "\(r.shape.transA.blasCharacter)\(r.shape.transB.blasCharacter)"
        let ratio = r.blasGflops.map { Self.fixed(r.gflops / $0, 2) + "×" } ?? "n/a"
        print(
            Self.pad(r.shape.label, 24) + Self.pad(op, 4) + Self.pad("\(r.shape.m)×\(r.shape.n)×\(r.shape.k)", 16)
                + Self.pad("\(r.threads)", 5) + Self.pad(r.kernel, 8) + Self.pad(Self.fixed(r.gflops, 1), 9)
                + Self.pad(Self.fixed(100 * r.gflops / r.peak8, 0), 7) + Self.pad(Self.fixed(100 * r.gflops / r.peak16, 0), 7)
                + Self.pad(r.blasGflops.map { Self.fixed($0, 1) } ?? "n/a", 9) + ratio)
    }

    mutating func footer(packingBytes: Int) {
        let line = "GEMM packing memory held: \(packingBytes / 1024) KiB"
        if json { print(line, to: &stderr) } else { print("\n" + line) }
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        let text = format3(x)
        guard let dot = text.firstIndex(of: ".") else { return text }
        return digits == 0 ? String(text[..<dot]) : String(text[...text.index(dot, offsetBy: digits)])
    }
}
