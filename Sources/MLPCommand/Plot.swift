import MLP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A self-contained SVG of the training curves per epoch, training and
/// validation, with axes, ticks and a legend: loss and accuracy side by side
/// for classification, the loss across the whole width for regression. A
/// loss that spans more than two decades is drawn on a log scale; every
/// epoch is also a dot, so a one-epoch run shows its points.
struct Plot {
    var svg: String

    typealias Series = (name: String, color: String, values: [Double])

    static func curves(_ history: TrainingHistory, regression: Bool) -> Plot {
        let epochs = history.epochs.map { Double($0.epoch + 1) }
        let loss: [Series] =
            [("train", "#1f77b4", history.epochs.map(\.loss))]
            + (history.epochs.first?.validationLoss == nil ? [] : [("validation", "#ff7f0e", history.epochs.map { $0.validationLoss ?? .nan })])
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"380\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"900\" height=\"380\" fill=\"white\"/>",
        ]
        if regression {
            parts += panel(left: 90, width: 780, title: "Loss per epoch", label: "loss", epochs: epochs, series: loss, fixedRange: nil)
        } else {
            let accuracy: [Series] =
                [("train", "#1f77b4", history.epochs.map { $0.accuracy ?? .nan })]
                + (history.epochs.first?.validationAccuracy == nil ? [] : [("validation", "#ff7f0e", history.epochs.map { $0.validationAccuracy ?? .nan })])
            parts += panel(left: 90, width: 340, title: "Loss per epoch", label: "loss", epochs: epochs, series: loss, fixedRange: nil)
            parts += panel(left: 530, width: 340, title: "Accuracy per epoch", label: "accuracy", epochs: epochs, series: accuracy, fixedRange: (0, 1))
        }
        parts.append("</svg>")
        return Plot(svg: parts.joined(separator: "\n") + "\n")
    }

    /// One chart, `width` × 260, with its axes, ticks, curves, dots and legend.
    static func panel(left: Double, width: Double, title: String, label: String, epochs: [Double], series: [Series], fixedRange: (Double, Double)?) -> [String]
    {
        let top = 40.0, height = 260.0
        let values = series.flatMap(\.values).filter(\.isFinite)
        let positive = values.filter { $0 > 0 }
        let logarithmic = fixedRange == nil && positive.count == values.count && (positive.max() ?? 1) / (positive.min() ?? 1) > 100
        func axis(_ v: Double) -> Double { logarithmic ? log10(v) : v }
        var (low, high) =
            fixedRange
            ?? (logarithmic ? (log10(positive.min()!).rounded(.down), log10(positive.max()!).rounded(.up)) : (min(0, values.min() ?? 0), values.max() ?? 1))
        if high <= low { high = low + 1 }
        let lastEpoch = max(epochs.last ?? 1, 2)
        func px(_ e: Double) -> Double { left + (e - 1) / (lastEpoch - 1) * width }
        func py(_ v: Double) -> Double { top + height - (axis(v) - low) / (high - low) * height }
        var out = [
            "<text x=\"\(left + width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">\(title)\(logarithmic ? " (log scale)" : "")</text>",
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#444\"/>",
        ]
        // Integer strides: a floating-point stride calls fma (Docs/Building.md).
        let decades = max(1, Int(((high - low) / 6).rounded(.up)))
        let ticks =
            logarithmic
            ? stride(from: Int(low), through: Int(high), by: decades).map { pow(10, Double($0)) }
            : (0...4).map { low + (high - low) * Double($0) / 4 }
        for v in ticks {
            out.append("<line x1=\"\(left)\" x2=\"\(left + width)\" y1=\"\(py(v))\" y2=\"\(py(v))\" stroke=\"#ddd\"/>")
            out.append("<text x=\"\(left - 6)\" y=\"\(py(v) + 4)\" text-anchor=\"end\">\(Report.significant(v))</text>")
        }
        let step = max(1, Int((lastEpoch / 6).rounded(.up)))
        for e in stride(from: 1, through: Int(lastEpoch), by: step) {
            out.append("<text x=\"\(px(Double(e)))\" y=\"\(top + height + 16)\" text-anchor=\"middle\">\(e)</text>")
        }
        out.append("<text x=\"\(left + width / 2)\" y=\"\(top + height + 34)\" text-anchor=\"middle\">epoch</text>")
        out.append("<text transform=\"translate(\(left - 72) \(top + height / 2)) rotate(-90)\" text-anchor=\"middle\">\(label)</text>")
        for (index, (name, color, data)) in series.enumerated() {
            let points = zip(epochs, data).filter { $0.1.isFinite }.map { (px($0.0), py($0.1)) }
            out.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>")
            if points.count <= 60 {
                out += points.map { "<circle cx=\"\($0.0)\" cy=\"\($0.1)\" r=\"3\" fill=\"\(color)\"/>" }
            }
            let ly = top + 14 + Double(index) * 16
            out.append("<line x1=\"\(left + width - 110)\" x2=\"\(left + width - 90)\" y1=\"\(ly)\" y2=\"\(ly)\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            out.append("<text x=\"\(left + width - 84)\" y=\"\(ly + 4)\">\(name)</text>")
        }
        return out
    }

    /// Writes the SVG atomically (``AtomicFile``).
    func write(to path: String) throws {
        try AtomicFile.write(Array(svg.utf8), to: path)
    }
}
