import Kernels
import Testing

@Suite("Matrix")
struct MatrixTests {
    @Test("nested-array init is row-major and storage is column-major")
    func layout() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(a.rows == 2 && a.columns == 3)
        #expect(a[0, 2] == 3 && a[1, 0] == 4)
        #expect(a.elements == [1, 4, 2, 5, 3, 6])
        #expect(Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6]) == a)
        #expect(a.column(1).elements == [2, 5])
        #expect(Matrix(rows: 2, columns: 2, repeating: 7).elements == [7, 7, 7, 7])
        #expect(Matrix.identity(3) == Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        let empty = Matrix(rows: 0, columns: 5)
        #expect(empty.elements.isEmpty && empty.columnSums() == Matrix(rows: 1, columns: 5))
    }

    @Test("storage is 64-byte aligned")
    func alignment() {
        for (rows, columns) in [(1, 1), (3, 7), (17, 5)] {
            let a = Matrix(rows: rows, columns: columns)
            a.withUnsafeBufferPointer { #expect(Int(bitPattern: $0.baseAddress!) % 64 == 0) }
        }
    }

    @Test("copy-on-write: mutating a copy never changes the original")
    func copyOnWrite() {
        let original = Matrix([[1, 2], [3, 4]])
        var subscripted = original
        subscripted[0, 0] = 100
        var columnSet = original
        columnSet.setColumn(1, to: [8, 9])
        var added = original
        added += Matrix([[1, 1], [1, 1]])
        var broadcast = original
        broadcast.addToEachRow(Matrix([[10, 20]]))
        var multiplied = original
        Matrix.multiply(original, original, into: &multiplied)
        var raw = original
        raw.withUnsafeMutableBufferPointer { $0[3] = -1 }
        var transposed = original
        transposed.transpose()
        #expect(original == Matrix([[1, 2], [3, 4]]))
        #expect(subscripted[0, 0] == 100 && columnSet[1, 1] == 9 && added[1, 1] == 5)
        #expect(broadcast == Matrix([[11, 22], [13, 24]]))
        #expect(multiplied == Matrix([[7, 10], [15, 22]]))
        #expect(raw[1, 1] == -1 && transposed == Matrix([[1, 3], [2, 4]]))
    }

    @Test("a unique matrix mutates in place without copying")
    func uniqueMutatesInPlace() {
        var a = Matrix(rows: 4, columns: 4)
        let before = a.withUnsafeBufferPointer { $0.baseAddress! }
        a[1, 1] = 3
        a += Matrix(rows: 4, columns: 4, repeating: 1)
        Matrix.multiply(Matrix.identity(4), Matrix.identity(4), into: &a)
        #expect(a.withUnsafeBufferPointer { $0.baseAddress! } == before)
    }

    @Test("transposed views feed the product without copying, in all four combinations")
    func transposedProducts() {
        var generator = Xoshiro256(seed: 3)
        let a = Matrix.uniform(rows: 5, columns: 3, in: -1...1, using: &generator)
        let b = Matrix.uniform(rows: 5, columns: 4, in: -1...1, using: &generator)
        let at = Matrix(a.transposed())
        #expect(at.rows == 3 && at.columns == 5 && at[2, 4] == a[4, 2])
        #expect(a.transposed()[1, 3] == a[3, 1])
        let expected = at * b
        #expect((a.transposed() * b).isApproximatelyEqual(to: expected, relativeTolerance: 1e-6))
        #expect((at * b).isApproximatelyEqual(to: (b.transposed() * a).transposedCopy, relativeTolerance: 1e-6))
        #expect((a.transposed() * Matrix(b.transposed()).transposed()).isApproximatelyEqual(to: expected, relativeTolerance: 1e-6))
        #expect(a.transposed().transposed() == a)
    }

    @Test("multiply into: accumulates with α and β")
    func multiplyInto() {
        let a = Matrix([[1, 2], [3, 4]])
        var c = Matrix([[1, 1], [1, 1]])
        Matrix.multiply(a, a, into: &c, alpha: 2, beta: -1)
        #expect(c == Matrix([[13, 19], [29, 43]]))
    }

    @Test("elementwise, scalar and broadcast arithmetic")
    func arithmetic() {
        let a = Matrix([[1, 2], [3, 4]])
        let b = Matrix([[5, 6], [7, 8]])
        #expect(a + b == Matrix([[6, 8], [10, 12]]))
        #expect(b - a == Matrix([[4, 4], [4, 4]]))
        #expect(a .* b == Matrix([[5, 12], [21, 32]]))
        #expect(a * 2 == Matrix([[2, 4], [6, 8]]) && 2 * a == a * 2)
        #expect(a / 2 == Matrix([[0.5, 1], [1.5, 2]]))
        #expect(a + 1 == Matrix([[2, 3], [4, 5]]) && a - 1 == Matrix([[0, 1], [2, 3]]))
        #expect(-a == Matrix([[-1, -2], [-3, -4]]))
        #expect(a.addingToEachColumn(Matrix([[10], [20]])) == Matrix([[11, 12], [23, 24]]))
        #expect(a.addingToEachRow(Matrix([[10, 20]])) == Matrix([[11, 22], [13, 24]]))
        #expect(a.rowSums() == Matrix([[3], [7]]))
        #expect(a.columnSums() == Matrix([[4, 6]]))
        #expect(a.sum() == 10)
        #expect(a.map { $0 * $0 } == Matrix([[1, 4], [9, 16]]))
    }

    @Test("approximate equality respects the tolerances, shapes and NaN")
    func approximateEquality() {
        let a = Matrix([[1, 2]])
        #expect(a.isApproximatelyEqual(to: Matrix([[1.0000001, 2]])))
        #expect(!a.isApproximatelyEqual(to: Matrix([[1.01, 2]])))
        #expect(a.isApproximatelyEqual(to: Matrix([[1.01, 2]]), relativeTolerance: 0.02))
        #expect(Matrix([[0]]).isApproximatelyEqual(to: Matrix([[1e-7]]), absoluteTolerance: 1e-6))
        #expect(!a.isApproximatelyEqual(to: Matrix([[1], [2]])))
        #expect(!Matrix([[.nan]]).isApproximatelyEqual(to: Matrix([[.nan]])))
    }

    @Test("description shows the shape and the rows, abbreviating large matrices")
    func description() {
        #expect(Matrix([[1, 2], [3, 4]]).description == "(2 × 2)\n[ 1.0  2.0 ]\n[ 3.0  4.0 ]")
        let large = Matrix(rows: 20, columns: 30).description
        #expect(large.hasPrefix("(20 × 30)") && large.contains("…"))
        #expect(large.split(separator: "\n").count == 1 + 9)
    }

    @Test("seeded random fills are reproducible and have the right moments")
    func randomFills() {
        var g1 = Xoshiro256(seed: 99), g2 = Xoshiro256(seed: 99), g3 = Xoshiro256(seed: 100)
        let u1 = Matrix.uniform(rows: 200, columns: 50, in: -2...3, using: &g1)
        let u2 = Matrix.uniform(rows: 200, columns: 50, in: -2...3, using: &g2)
        let u3 = Matrix.uniform(rows: 200, columns: 50, in: -2...3, using: &g3)
        #expect(u1 == u2 && u1 != u3)
        #expect(u1.elements.allSatisfy { $0 >= -2 && $0 <= 3 })
        #expect(abs(u1.sum() / 10_000 - 0.5) < 0.05)
        let n = Matrix.normal(rows: 100, columns: 100, mean: 1, standardDeviation: 2, using: &g1)
        let mean = n.sum() / 10_000
        let variance = n.map { ($0 - mean) * ($0 - mean) }.sum() / 10_000
        #expect(abs(mean - 1) < 0.06 && abs(variance.squareRoot() - 2) < 0.06)
    }

    /// The expected values come from an independent Python implementation of
    /// SplitMix64 seeding and xoshiro256** (Blackman & Vigna's reference C).
    @Test("Xoshiro256 reproduces the reference xoshiro256** sequence")
    func generatorMatchesReference() {
        var g = Xoshiro256(seed: 0)
        #expect((0..<3).map { _ in g.next() } == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    }
}

extension Matrix {
    /// The transpose, materialized (test helper).
    var transposedCopy: Matrix { Matrix(transposed()) }
}
