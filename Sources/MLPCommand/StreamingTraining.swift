import Dispatch
import Kernels
import MLP

/// `mlp train --stream`: trains from a CSV file read anew every epoch, a
/// chunk of rows at a time, so the file never has to fit in memory. A first
/// pass collects the classes and the standardization statistics; each epoch
/// shuffles within each chunk (from the seed) and takes minibatch steps.
struct StreamingTraining {
    let reader: CSVReader
    let chunkRows: Int

    /// Classes (sorted as `Table.classes`), feature count and normalization from one pass.
    func survey(regression: Bool, standardize: Bool) throws -> (classes: [String], features: Int, normalization: Normalization?) {
        var labels = Set<String>(), count = 0.0, width = 0
        var sum: [Double] = [], squares: [Double] = []
        try reader.forEachRecord { record in
            if width == 0 {
                width = record.features.count
                sum = [Double](repeating: 0, count: width)
                squares = sum
            }
            if !regression { labels.insert(String(record.label)) }
            count += 1
            for (j, x) in record.features.enumerated() {
                sum[j] += Double(x)
                squares[j] += Double(x) * Double(x)
            }
        }
        var normalization: Normalization?
        if standardize {
            let mean = sum.map { $0 / count }
            let deviation = zip(squares, mean).map { s, m in max(0, s / count - m * m).squareRoot() }
            normalization = Normalization(mean: mean, standardDeviation: deviation)
        }
        return (Table.classes(labels), width, normalization)
    }

    /// One epoch over the file; returns (mean loss, samples, seconds).
    func epoch(
        _ trainer: Trainer, batch: Int, classes: [String]?, normalization: Normalization?,
        generator: inout Xoshiro256
    ) throws -> (Double, Int, Double) {
        var rows: [Record] = []
        var lossSum = 0.0, samples = 0, seconds = 0.0
        func flush() throws {
            guard !rows.isEmpty else { return }
            rows.shuffle(using: &generator)
            for start in stride(from: 0, to: rows.count, by: batch) {
                let part = rows[start..<min(rows.count, start + batch)]
                let table = Table(name: reader.path, rows: part.map(\.features), labels: part.map(\.label), lines: part.map(\.line))
                let x = normalization?.apply(to: table.features) ?? table.features
                let y = try classes.map { try table.oneHot(classes: $0) } ?? table.values()
                let begin = DispatchTime.now().uptimeNanoseconds
                lossSum += try trainer.step(inputs: x, targets: y) * Double(part.count)
                seconds += Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9
                samples += part.count
            }
            rows.removeAll(keepingCapacity: true)
        }
        try reader.forEachRecord { record in
            rows.append(record)
            if rows.count == chunkRows { try flush() }
        }
        try flush()
        return (lossSum / Double(max(1, samples)), samples, seconds)
    }
}
