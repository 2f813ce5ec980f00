import MLP

/// A self-contained SVG scatter plot of two coordinates (PC1 against PC2),
/// one colour per label with a legend; with more than `maximumClasses`
/// distinct labels, or none, every point has one colour.
struct ScatterPlot {
    var svg: String

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let maximumClasses = 20

    init(x: [Double], y: [Double], labels: [String]?, title: String, xLabel: String, yLabel: String) {
        let (width, height, left, top) = (720.0, 560.0, 70.0, 40.0)
        let plotWidth = 500.0, plotHeight = 460.0
        let classes = labels.map { Array(Set($0)).sorted { ($0.count, $0) < ($1.count, $1) } } ?? []
        let coloured = !classes.isEmpty && classes.count <= Self.maximumClasses
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        func range(_ values: [Double]) -> (Double, Double) {
            let low = values.min() ?? 0, high = values.max() ?? 1
            let pad = max(high - low, 1e-12) * 0.05
            return (low - pad, high + pad)
        }
        let (x0, x1) = range(x), (y0, y1) = range(y)
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * plotWidth }
        func py(_ v: Double) -> Double { top + plotHeight - (v - y0) / (y1 - y0) * plotHeight }
        func color(_ i: Int) -> String { Self.palette[i % Self.palette.count] }
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>",
            "<text x=\"\(left + plotWidth / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">\(Self.escaped(title))</text>",
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#333\"/>",
            "<text x=\"\(left + plotWidth / 2)\" y=\"\(top + plotHeight + 40)\" text-anchor=\"middle\">\(Self.escaped(xLabel))</text>",
            "<text transform=\"translate(18 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">\(Self.escaped(yLabel))</text>",
        ]
        for i in 0...4 {
            let fx = x0 + (x1 - x0) * Double(i) / 4, fy = y0 + (y1 - y0) * Double(i) / 4
            parts.append("<text x=\"\(px(fx))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(Report.significant(fx))</text>")
            parts.append("<text x=\"\(left - 6)\" y=\"\(py(fy) + 4)\" text-anchor=\"end\">\(Report.significant(fy))</text>")
        }
        for i in x.indices {
            let fill = coloured ? color(index[labels![i]]!) : Self.palette[0]
            parts.append("<circle cx=\"\(Report.fixed(px(x[i]), 1))\" cy=\"\(Report.fixed(py(y[i]), 1))\" r=\"2.5\" fill=\"\(fill)\" fill-opacity=\"0.7\"/>")
        }
        let legend = coloured ? classes : ["samples"]
        for (i, name) in legend.enumerated() {
            let ly = top + 10 + Double(i) * 18
            parts.append("<circle cx=\"\(left + plotWidth + 24)\" cy=\"\(ly)\" r=\"5\" fill=\"\(color(i))\"/>")
            parts.append("<text x=\"\(left + plotWidth + 36)\" y=\"\(ly + 4)\">\(Self.escaped(name))</text>")
        }
        parts.append("</svg>")
        svg = parts.joined(separator: "\n") + "\n"
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Writes the SVG atomically (``AtomicFile``).
    func write(to path: String) throws {
        try AtomicFile.write(Array(svg.utf8), to: path)
    }
}
