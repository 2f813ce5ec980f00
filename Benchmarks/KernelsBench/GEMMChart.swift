import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An SVG chart of the square GEMMs: GFLOP/s against n (log scale), our
/// kernels and the system BLAS at 1 and all threads, with the measured peaks as
/// dashed lines.
struct GEMMChart {
    let results: [GEMMMeasurement]

    struct Series {
        var name: String
        var color: String
        var dashed: Bool
        var points: [(n: Int, gflops: Double)]
    }

    var series: [Series] {
        let squares = results.filter { $0.shape.label.hasPrefix("square") }
        let threadCounts = Array(Set(squares.map(\.threads))).sorted()
        let colors = [["#1f77b4", "#6baed6", "#d62728"], ["#2ca02c", "#98df8a", "#ff7f0e"]]
        var out: [Series] = []
        for (index, threads) in threadCounts.enumerated() {
            let rows = squares.filter { $0.threads == threads }
            let palette = colors[min(index, 1)]
            for (kernelIndex, kernel) in ["simd16", "simd8"].enumerated() {
                let points = rows.filter { $0.kernel == kernel }.map { ($0.shape.m, $0.gflops) }
                if !points.isEmpty {
                    out.append(Series(name: "ours \(kernel), \(threads)T", color: palette[kernelIndex], dashed: false, points: points))
                }
            }
            let blasPoints = rows.filter { $0.kernel == "simd8" }.compactMap { row in row.blasGflops.map { (row.shape.m, $0) } }
            if let name = rows.first?.blasName, !blasPoints.isEmpty {
                out.append(Series(name: "\(name), \(threads)T", color: palette[2], dashed: false, points: blasPoints))
            }
            if let first = rows.first, let last = rows.last {
                let span = [first.shape.m, last.shape.m]
                out.append(Series(name: "SIMD8 peak, \(threads)T", color: "#888888", dashed: true, points: span.map { ($0, first.peak8) }))
                out.append(Series(name: "SIMD16 peak, \(threads)T", color: "#444444", dashed: true, points: span.map { ($0, first.peak16) }))
            }
        }
        return out
    }

    var svg: String {
        let width = 760.0, height = 440.0, left = 60.0, right = 210.0, top = 30.0, bottom = 50.0
        let all = series.flatMap(\.points)
        guard let minN = all.map(\.n).min(), let maxN = all.map(\.n).max(), maxN > minN else { return "" }
        let yMax = ((all.map(\.gflops).max() ?? 1) / 50).rounded(.up) * 50
        func x(_ n: Int) -> Double {
            left + (width - left - right) * (log2(Double(n)) - log2(Double(minN))) / (log2(Double(maxN)) - log2(Double(minN)))
        }
        func y(_ g: Double) -> Double { top + (height - top - bottom) * (1 - g / yMax) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="18" font-size="14">sgemm GFLOP/s against n (square, column-major) — \(BuildConfiguration.summary)</text>

            """
        var tick = 0.0
        while tick <= yMax {
            s += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(Int(tick))</text>\n"
            tick += yMax / 5
        }
        var n = minN
        while n <= maxN {
            s += "<text x=\"\(x(n))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(n)</text>\n"
            n *= 2
        }
        s += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">n (m = n = k)</text>\n"
        s += "<text transform=\"translate(16 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">GFLOP/s</text>\n"
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#333\"/>\n"
        for (index, line) in series.enumerated() {
            let points = line.points.map { "\(x($0.n)),\(y($0.gflops))" }.joined(separator: " ")
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>\n"
            let legendY = top + 10 + Double(index) * 18
            s +=
                "<line x1=\"\(width - right + 12)\" x2=\"\(width - right + 36)\" y1=\"\(legendY)\" y2=\"\(legendY)\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>"
            s += "<text x=\"\(width - right + 42)\" y=\"\(legendY + 4)\">\(line.name)</text>\n"
        }
        return s + "</svg>\n"
    }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes the chart to a temporary file beside `path`, then renames it, so
    /// an interrupted run never leaves a half-written chart.
    func write(to path: String) throws {
        let temporary = path + ".tmp"
        guard let file = fopen(temporary, "w") else { throw WriteError(description: String(cString: strerror(errno))) }
        let bytes = Array(svg.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        fclose(file)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WriteError(description: String(cString: strerror(errno)))
        }
    }
}
