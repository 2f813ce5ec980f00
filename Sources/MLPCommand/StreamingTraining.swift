import Dispatch
import Kernels
import MLP
import MLPData

/// `mlp train --stream`: trains from a CSV file read anew every epoch, a
/// chunk of rows at a time, so the file never has to fit in memory. A first
/// pass collects the classes and the standardization statistics; each epoch
/// shuffles within each chunk (from the seed) and takes minibatch steps.
struct StreamingTraining {
    let reader: CSVReader
    let chunkRows: Int

    /// What the first pass found.
    struct Survey {
        var layout: CSVLayout
        var rows: Int
        var classes: [String]?
        var normalization: Normalization?
    }

    /// Layout, row count, classes (checked like ``LabelledTable/classes(expected:)``)
    /// and normalization, from one pass.
    func survey(regression: Bool, standardize: Bool, expectedClasses: Int?) throws -> Survey {
        var labels: [String: Int] = [:], count = 0.0
        var sum: [Double] = [], squares: [Double] = []
        let layout = try reader.forEachChunk(rows: chunkRows) { table in
            if sum.isEmpty {
                sum = [Double](repeating: 0, count: table.features.columns)
                squares = sum
            }
            if !regression { for label in table.labels { labels[ClassLabels.canonical(label), default: 0] += 1 } }
            count += Double(table.count)
            for j in 0..<table.features.columns {
                for i in 0..<table.count {
                    let x = Double(table.features[i, j])
                    sum[j] += x
                    squares[j] += x * x
                }
            }
        }
        var classes: [String]?
        if !regression {
            classes = ClassLabels.classes(of: labels.keys)
            try ClassLabels.check(classes!, rows: Int(count), file: reader.path, expected: expectedClasses)
        }
        var normalization: Normalization?
        if standardize {
            let mean = sum.map { $0 / count }
            let deviation = zip(squares, mean).map { s, m in max(0, s / count - m * m).squareRoot() }
            normalization = try Normalization(mean: mean, standardDeviation: deviation)
        }
        return Survey(layout: layout, rows: Int(count), classes: classes, normalization: normalization)
    }

    /// One epoch over the file; returns (mean loss, samples, seconds).
    func epoch(
        _ trainer: Trainer, batch: Int, classes: [String]?, normalization: Normalization?,
        generator: inout Xoshiro256
    ) throws -> (Double, Int, Double) {
        var lossSum = 0.0, samples = 0, seconds = 0.0
        try reader.forEachChunk(rows: chunkRows) { table in
            var order = Array(0..<table.count)
            order.shuffle(using: &generator)
            for start in stride(from: 0, to: order.count, by: batch) {
                let part = Array(order[start..<min(order.count, start + batch)])
                let rows = LabelledTable(
                    name: table.name, features: table.features.rows(at: part), labels: part.map { table.labels[$0] },
                    lines: part.map { table.lines[$0] })
                let x = try normalization?.apply(to: rows.features) ?? rows.features
                let y = try classes.map { try rows.oneHot(classes: $0) } ?? rows.values()
                let begin = DispatchTime.now().uptimeNanoseconds
                lossSum += try trainer.step(inputs: x, targets: y) * Double(part.count)
                seconds += Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9
                samples += part.count
                if Interrupt.isRequested { return }
            }
        }
        return (lossSum / Double(max(1, samples)), samples, seconds)
    }
}
