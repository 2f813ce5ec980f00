extension Loss {
    /// The loss of `predictions` against `targets`, both (rows × columns) with
    /// leading dimensions `ldp` and `ldt`; when `gradient` is given, also
    /// writes ∂L/∂prediction there (leading dimension `ldg`, may equal the
    /// predictions). Summation is in a fixed order: the result does not depend
    /// on the thread count.
    ///
    /// - Parameters:
    ///   - rows: the rows (one sample each).
    ///   - columns: the columns (one output each).
    ///   - p: the first prediction, column-major.
    ///   - ldp: the predictions' leading dimension, at least `rows`.
    ///   - t: the first target, column-major.
    ///   - ldt: the targets' leading dimension, at least `rows`.
    ///   - g: where ∂L/∂prediction goes, or `nil` for the value only.
    ///   - ldg: the gradient's leading dimension, at least `rows` when `g` is given.
    public func evaluate(
        rows: Int, columns: Int, predictions p: UnsafePointer<Float>, ldp: Int,
        targets t: UnsafePointer<Float>, ldt: Int,
        gradient g: UnsafeMutablePointer<Float>?, ldg: Int
    ) -> Double {
        guard rows > 0, columns > 0 else { return 0 }
        let elements = Float(rows * columns), samples = Float(rows)
        let implementation = KernelDispatch.implementation
        func sum(scale: Float) -> Double {
            implementation.lossSum(
                self, rows: rows, columns: columns, predictions: p, ldp: ldp, targets: t, ldt: ldt,
                gradient: g, ldg: ldg, gradientScale: scale)
        }
        switch self {
        case .meanSquaredError, .sumOfSquares:
            let scale: Float = self == .sumOfSquares ? 1 : 1 / elements
            return sum(scale: scale) * Double(scale)
        case .sigmoidCrossEntropy:
            return sum(scale: 1 / elements) / Double(elements)
        case .softmaxCrossEntropy, .multiclassHinge:
            return sum(scale: 1 / samples) / Double(samples)
        }
    }

    /// The loss of (samples × outputs) `predictions` against `targets`.
    ///
    /// - Parameters:
    ///   - predictions: the (samples × outputs) predictions.
    ///   - targets: the targets, of the same shape.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public func callAsFunction(_ predictions: Matrix, _ targets: Matrix, file: StaticString = #fileID, line: UInt = #line) -> Double {
        checkShapes(predictions, targets, file, line)
        return predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                guard let p = p.baseAddress, let t = t.baseAddress else { return 0 }
                return evaluate(
                    rows: predictions.rows, columns: predictions.columns, predictions: p, ldp: predictions.rows,
                    targets: t, ldt: targets.rows, gradient: nil, ldg: 1)
            }
        }
    }

    /// The loss and its gradient ∂L/∂prediction (same shape as `predictions`).
    ///
    /// - Parameters:
    ///   - predictions: the (samples × outputs) predictions.
    ///   - targets: the targets, of the same shape.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    public func valueAndGradient(
        _ predictions: Matrix, _ targets: Matrix, file: StaticString = #fileID, line: UInt = #line
    ) -> (value: Double, gradient: Matrix) {
        checkShapes(predictions, targets, file, line)
        var gradient = Matrix(rows: predictions.rows, columns: predictions.columns)
        let value = predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    guard let p = p.baseAddress, let t = t.baseAddress else { return 0.0 }
                    return evaluate(
                        rows: predictions.rows, columns: predictions.columns, predictions: p, ldp: predictions.rows,
                        targets: t, ldt: targets.rows, gradient: g.baseAddress, ldg: predictions.rows)
                }
            }
        }
        return (value, gradient)
    }

    private func checkShapes(_ predictions: Matrix, _ targets: Matrix, _ file: StaticString, _ line: UInt) {
        require(
            predictions.rows == targets.rows && predictions.columns == targets.columns,
            "Loss \(self): predictions are \(predictions.rows) × \(predictions.columns) but targets are \(targets.rows) × \(targets.columns)",
            file: file, line: line)
    }
}
