import Kernels

/// Inputs and targets with one sample per row.
public struct Dataset: Sendable {
    /// (samples × features).
    public var inputs: Matrix
    /// (samples × outputs): one-hot rows for classification, values for regression.
    public var targets: Matrix

    /// Pairs inputs and targets.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × features) inputs.
    ///   - targets: the (samples × outputs) targets.
    /// - Throws: ``ArgumentError`` when their row counts differ.
    public init(inputs: Matrix, targets: Matrix) throws(ArgumentError) {
        try check(
            inputs.rows == targets.rows, "Dataset",
            "inputs \(inputs.shapeDescription) and targets \(targets.shapeDescription) need a row per sample each")
        self.init(checkedInputs: inputs, targets: targets)
    }

    /// Inputs and targets whose row counts the caller has checked.
    init(checkedInputs inputs: Matrix, targets: Matrix) {
        self.inputs = inputs
        self.targets = targets
    }

    /// A classification dataset: `labels[i]` in 0..<classes becomes a one-hot row.
    ///
    /// - Parameters:
    ///   - inputs: the (samples × features) inputs.
    ///   - labels: one class index per sample.
    ///   - classes: the number of classes, the width of the one-hot targets.
    /// - Throws: ``ArgumentError`` when `labels` does not have a label per row
    ///   of `inputs`, `classes` is below 1, or a label is outside 0..<classes.
    public init(inputs: Matrix, labels: [Int], classes: Int) throws(ArgumentError) {
        try check(
            labels.count == inputs.rows, "Dataset",
            "inputs \(inputs.shapeDescription) has \(inputs.rows) rows but labels has \(labels.count) labels")
        try check(classes >= 1, "Dataset", "classes = \(classes) must be ≥ 1")
        if let (i, label) = labels.enumerated().first(where: { !(0..<classes).contains($0.element) }) {
            throw ArgumentError("Dataset", "labels[\(i)] = \(label) is outside 0..<\(classes)")
        }
        var targets = Matrix(rows: labels.count, columns: classes)
        for (i, label) in labels.enumerated() { targets[i, label] = 1 }
        self.init(checkedInputs: inputs, targets: targets)
    }

    /// The number of samples.
    public var count: Int { inputs.rows }

    /// The samples at `indices`, in that order.
    ///
    /// - Parameter indices: the samples to keep, each in 0..<count; repeats allowed.
    /// - Throws: ``ArgumentError`` when an index is outside 0..<count.
    public func subset(_ indices: [Int]) throws(ArgumentError) -> Dataset {
        if let (position, index) = indices.enumerated().first(where: { !(0..<count).contains($0.element) }) {
            throw ArgumentError("Dataset.subset", "indices[\(position)] = \(index) is outside 0..<\(count)")
        }
        return checkedSubset(indices)
    }

    /// The samples at `indices`, which the caller has checked.
    func checkedSubset(_ indices: [Int]) -> Dataset {
        Dataset(checkedInputs: inputs.rows(at: indices), targets: targets.rows(at: indices))
    }

    /// Splits off the last ⌊fraction·count⌋ samples of a seeded shuffle as a
    /// validation set.
    ///
    /// - Parameters:
    ///   - fraction: the share of the samples that goes to validation, in [0, 1).
    ///   - seed: the seed of the shuffle.
    /// - Throws: ``ArgumentError`` when `fraction` is not in [0, 1).
    public func split(
        validationFraction fraction: Double, seed: UInt64
    ) throws(ArgumentError) -> (training: Dataset, validation: Dataset) {
        try check((0..<1).contains(fraction), "Dataset.split", "validationFraction = \(fraction) must be in [0, 1)")
        var generator = Xoshiro256(seed: seed)
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        let validationCount = Int(Double(count) * fraction)
        return (checkedSubset(Array(order.dropLast(validationCount))), checkedSubset(Array(order.suffix(validationCount))))
    }

    /// The fewest samples a validation set may have.
    public static let minimumValidationCount = 10

    /// The classes (target columns; for a single column, 0 and 1 by the 0.5
    /// threshold) that occur in `self` but not in `other`.
    ///
    /// - Parameter other: the dataset to compare with.
    public func classesMissing(from other: Dataset) -> [Int] {
        func present(_ data: Dataset) -> Set<Int> {
            var found = Set<Int>()
            for i in 0..<data.count {
                if data.targets.columns == 1 {
                    found.insert(data.targets[i, 0] >= 0.5 ? 1 : 0)
                } else {
                    for j in 0..<data.targets.columns where data.targets[i, j] > 0 { found.insert(j) }
                }
            }
            return found
        }
        return present(self).subtracting(present(other)).sorted()
    }

    /// Why `validation` cannot validate training on `self`, or `nil`: fewer
    /// than ``minimumValidationCount`` samples, or (when `classification`) a
    /// class of `self` it lacks. `fraction` is the split that made it, if any.
    ///
    /// - Parameters:
    ///   - validation: the validation set.
    ///   - classification: whether the targets are classes.
    ///   - fraction: the split that made `validation`, for the message, if any.
    public func validationProblem(_ validation: Dataset, classification: Bool, fraction: Double? = nil) -> String? {
        let total = count + validation.count
        if validation.count < Self.minimumValidationCount {
            let split = fraction.map { " (a split of \(($0 * 10_000).rounded() / 10_000) of \(total) samples)" } ?? ""
            let minimum = total > 0 ? " — a split of at least \((Double(Self.minimumValidationCount) / Double(total) * 1000).rounded(.up) / 1000)" : ""
            return "\(validation.count) samples\(split); it needs at least \(Self.minimumValidationCount)\(minimum)"
        }
        if classification, let missing = classesMissing(from: validation).first {
            return "\(validation.count) samples without class \(missing) of the training set; every class must occur in it (use a larger split)"
        }
        return nil
    }

    /// The first non-finite value, as "input (row r, column c)", or `nil`.
    public func firstNonFiniteValue() -> String? {
        for (name, m) in [("input", inputs), ("target", targets)] {
            for j in 0..<m.columns {
                for i in 0..<m.rows where !m[i, j].isFinite {
                    return "\(name) value \(m[i, j]) at sample \(i), column \(j)"
                }
            }
        }
        return nil
    }
}
