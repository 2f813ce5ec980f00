import Kernels
import Testing

/// The Kernels module's rule: a wrong shape or argument is a documented
/// precondition whose failure names both shapes and reports the caller's file
/// and line, not the library's (operators, which cannot take `#fileID` and
/// `#line` defaults, name both shapes). Each case runs in a child process (an
/// exit test) whose standard error is read back; the wrong calls are in
/// plain functions below, whose lines the expectations name.
@Suite("preconditions report the caller's file and line")
struct CallerLocationTests {
    static let productLine = #line + 3
    static func productOfWrongShapes() {
        var c = Matrix(rows: 2, columns: 3)
        Matrix.multiply(Matrix(rows: 2, columns: 2), Matrix(rows: 3, columns: 3), into: &c)
    }

    static let subscriptLine = #line + 2
    static func subscriptOutside() -> Float {
        Matrix(rows: 2, columns: 3)[2, 0]
    }

    static let broadcastLine = #line + 3
    static func broadcastOfWrongWidth() {
        var a = Matrix(rows: 2, columns: 3)
        a.addToEachRow(Matrix(rows: 1, columns: 2))
    }

    static let elementsLine = #line + 2
    static func tooFewElements() -> Matrix {
        Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5])
    }

    static let lossLine = #line + 2
    static func lossOfWrongShapes() -> Double {
        Loss.meanSquaredError(Matrix(rows: 2, columns: 3), Matrix(rows: 3, columns: 2))
    }

    static let rowsLine = #line + 2
    static func rowOutside() -> Matrix {
        Matrix(rows: 2, columns: 3).rows(at: [0, 7])
    }

    /// Expects the child to have printed "file:line: Fatal error: message" for this file and `line`.
    static func expectReport(_ result: ExitTest.Result?, line: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            printed.contains("KernelsTests/CallerLocationTests.swift:\(line): Fatal error: \(message)"), "printed: \(printed)",
            sourceLocation: sourceLocation)
    }

    @Test("Matrix.multiply(_:_:into:) with inner dimensions that differ; a subscript outside the matrix")
    func productAndSubscript() async {
        var result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.productOfWrongShapes()
        }
        Self.expectReport(result, line: Self.productLine, "Matrix product: (2 × 2) · (3 × 3): inner dimensions 2 and 3 differ")
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Self.subscriptOutside()
        }
        Self.expectReport(result, line: Self.subscriptLine, "Matrix: index [2, 0] is outside the (2 × 3) matrix")
    }

    @Test("a broadcast row of the wrong width; too few elements for a shape")
    func shapes() async {
        var result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.broadcastOfWrongWidth()
        }
        Self.expectReport(result, line: Self.broadcastLine, "Matrix broadcast: (1 × 2) is not a (1 × 3) row for (2 × 3)")
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Self.tooFewElements()
        }
        Self.expectReport(result, line: Self.elementsLine, "Matrix: 5 elements cannot fill a (2 × 3) matrix")
    }

    @Test("a loss of predictions and targets that differ in shape; rows at an index outside the matrix")
    func lossAndRows() async {
        var result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Self.lossOfWrongShapes()
        }
        Self.expectReport(
            result, line: Self.lossLine, "Loss meanSquaredError: predictions are 2 × 3 but targets are 3 × 2")
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Self.rowOutside()
        }
        Self.expectReport(result, line: Self.rowsLine, "Matrix.rows(at:): indices[1] = 7 is outside the (2 × 3) matrix")
    }

    @Test("an operator names both shapes")
    func operatorShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Matrix(rows: 2, columns: 3) + Matrix(rows: 3, columns: 2)
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains("Matrix sum: shapes (2 × 3) and (3 × 2) differ"), "printed: \(printed)")
    }
}
