import Kernels
import MLP

/// Text and JSON output of results.
enum Report {
    /// `x` with `digits` decimals, without Foundation.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(x) * scale).rounded()
        let whole = Int(rounded / scale), fraction = Int(rounded - Double(whole) * scale)
        let sign = x < 0 && rounded != 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        let text = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    /// `name  loss L  accuracy A`, or for regression `name  loss L  MSE … MAE … R² …`.
    static func line(_ name: String, _ result: Evaluation) -> String {
        var text = "\(leftAligned(name, 11)) loss \(fixed(result.loss, 4))"
        if let accuracy = result.accuracy { text += "  accuracy \(fixed(accuracy, 4))" }
        if let r = result.regression {
            text += "  MSE \(significant(r.meanSquaredError))  MAE \(significant(r.meanAbsoluteError))  R² \(fixed(r.r2, 4))"
        }
        return text
    }

    /// `s` right-aligned in `width` characters.
    static func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

    /// `s` left-aligned in `width` characters.
    static func leftAligned(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

    /// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// `x` with 4 significant digits (plain decimals; exponent form outside 1e-4…1e6).
    static func significant(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "\(x)" }
        let magnitude = abs(x)
        if magnitude >= 1e6 || magnitude < 1e-4 {
            var exponent = 0, mantissa = magnitude
            while mantissa >= 10 {
                mantissa /= 10
                exponent += 1
            }
            while mantissa < 1 {
                mantissa *= 10
                exponent -= 1
            }
            return (x < 0 ? "-" : "") + fixed(mantissa, 3) + "e\(exponent)"
        }
        var digits = 3
        var scaled = magnitude
        while scaled >= 10, digits > 0 {
            scaled /= 10
            digits -= 1
        }
        while scaled < 1 {
            scaled *= 10
            digits += 1
        }
        return fixed(x, digits)
    }

    /// The `--json` summary: test fields are null without a test set;
    /// accuracy is null for regression, which adds `test_mae` and `test_r2`.
    static func json(test: Evaluation?, seconds: Double, samplesPerSecond: Double, epochs: Int) -> String {
        let accuracy = test?.accuracy.map(number) ?? "null"
        let loss = test.map { number($0.loss) } ?? "null"
        var regression = ""
        if let r = test?.regression { regression = ",\"test_mae\":\(number(r.meanAbsoluteError)),\"test_r2\":\(number(r.r2))" }
        return
            "{\"test_accuracy\":\(accuracy),\"test_loss\":\(loss)\(regression),\"train_seconds\":\(number(seconds)),\"samples_per_second\":\(number(samplesPerSecond)),\"epochs\":\(epochs)}\n"
    }

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    /// The class index of each one-hot row.
    static func labels(of targets: Matrix) -> [Int] {
        (0..<targets.rows).map { i in (0..<targets.columns).max { targets[i, $0] < targets[i, $1] } ?? 0 }
    }

    /// Per-class precision, recall and F1, and the confusion matrix (rows: true class, columns: predicted).
    static func classification(name: String, predicted: [Int], expected: [Int], classes: [String]) -> String {
        let k = classes.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (p, e) in zip(predicted, expected) where p < k && e < k { confusion[e][p] += 1 }
        let width = max(5, (classes.map(\.count).max() ?? 1) + 1)
        func pad(_ s: String, _ n: Int = width) -> String { Report.pad(s, n) }
        var lines = ["", "\(name) set, per class:", pad("class") + pad("precision", 11) + pad("recall", 9) + pad("F1", 9) + pad("support", 9)]
        for c in 0..<k {
            let truePositive = Double(confusion[c][c])
            let predictedCount = Double((0..<k).reduce(0) { $0 + confusion[$1][c] })
            let support = confusion[c].reduce(0, +)
            let precision = predictedCount > 0 ? truePositive / predictedCount : 0
            let recall = support > 0 ? truePositive / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            lines.append(pad(classes[c]) + pad(fixed(precision, 3), 11) + pad(fixed(recall, 3), 9) + pad(fixed(f1, 3), 9) + pad("\(support)", 9))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted):")
        lines.append(pad("") + classes.map { pad($0) }.joined())
        for c in 0..<k { lines.append(pad(classes[c]) + confusion[c].map { pad("\($0)") }.joined()) }
        return lines.joined(separator: "\n") + "\n"
    }
}
