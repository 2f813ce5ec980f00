import Kernels
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `SymmetricEigendecomposition` against a plain cyclic Jacobi solver in
/// Double, with LAPACK's test ratios (xSYT21): the residual
/// ‖S·U − U·Λ‖₁ / (n·‖S‖₁·ε) and the orthogonality ‖UᵀU − I‖₁ / (n·ε), both
/// below 30 as LAPACK's testers require; eigenvalues within n·‖S‖₁·ε of the
/// oracle's (ε = Float.ulpOfOne, the input's precision).
@Suite("symmetric eigendecomposition matches a Jacobi oracle")
struct SymmetricEigenTests {
    static let ratioLimit = 30.0

    @Test("diagonal, with the order and sign convention")
    func diagonal() throws {
        let s = Matrix([[2, 0, 0], [0, -5, 0], [0, 0, 7]])
        let result = try SymmetricEigendecomposition(s)
        #expect(result.eigenvalues == [7, 2, -5])
        #expect(result.eigenvectors == Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))
    }

    @Test("1 × 1 and 2 × 2 in closed form")
    func closedForm() throws {
        let one = try SymmetricEigendecomposition(Matrix([[-3]]))
        #expect(one.eigenvalues == [-3] && one.eigenvectors == Matrix([[1]]))
        // [[a, b], [b, c]]: λ = (a + c)/2 ± √(((a − c)/2)² + b²).
        let (a, b, c): (Double, Double, Double) = (2, 1.5, -1)
        let root = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
        let two = try SymmetricEigendecomposition(Matrix([[Float(a), Float(b)], [Float(b), Float(c)]]))
        #expect(abs(Double(two.eigenvalues[0]) - ((a + c) / 2 + root)) < 1e-6)
        #expect(abs(Double(two.eigenvalues[1]) - ((a + c) / 2 - root)) < 1e-6)
        check(Matrix([[Float(a), Float(b)], [Float(b), Float(c)]]), two)
    }

    @Test("Q·D·Qᵀ with known, repeated, clustered and zero eigenvalues")
    func knownSpectra() throws {
        let spectra: [[Double]] = [
            (0..<40).map { Double($0) - 12 },
            [Double](repeating: 3, count: 20) + [Double](repeating: -1, count: 20),
            (0..<40).map { 1 + Double($0) * 1e-7 },
            [Double](repeating: 0, count: 30) + (1...10).map(Double.init),
            (0..<50).map { Double($0 % 3) },
        ]
        for (index, spectrum) in spectra.enumerated() {
            let s = rotated(spectrum, seed: UInt64(index))
            let result = try SymmetricEigendecomposition(s)
            check(s, result, knownEigenvalues: spectrum)
        }
    }

    @Test("graded entries from 1e-6 to 1e6")
    func graded() throws {
        let n = 30
        var generator = Xoshiro256(seed: 7)
        var s = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in j..<n {
                // 10^(−6 … 6) along the anti-diagonals.
                let exponent: Double = -6 + 12 * Double(i + j) / Double(2 * n - 2)
                let grade = Float(exp(exponent * log(10.0)))
                let value = grade * Float.random(in: -1...1, using: &generator)
                s[i, j] = value
                s[j, i] = value
            }
        }
        check(s, try SymmetricEigendecomposition(s))
    }

    @Test("random symmetric, 1 to 200, all and the top k; every thread count gives the same bits")
    func random() throws {
        for n in [1, 2, 3, 5, 31, 32, 33, 64, 97, 200] {
            let s = randomSymmetric(n, seed: UInt64(n))
            let full = try SymmetricEigendecomposition(s, threads: 1)
            check(s, full)
            for threads in [2, 3, 8] {
                let other = try SymmetricEigendecomposition(s, threads: threads)
                #expect(other.eigenvalues == full.eigenvalues && other.eigenvectors == full.eigenvectors, "n = \(n), \(threads) threads")
            }
            let k = max(1, n / 10)
            let top = try SymmetricEigendecomposition(s, count: k)
            #expect(top.eigenvalues == Array(full.eigenvalues.prefix(k)), "n = \(n): top \(k) eigenvalues")
            for j in 0..<k {
                let difference = (0..<n).map { abs(top.eigenvectors[$0, j] - full.eigenvectors[$0, j]) }.max()!
                #expect(difference < 1e-4, "n = \(n): top-\(k) eigenvector \(j) differs by \(difference)")
            }
        }
    }

    @Test("rank-deficient: a Gram matrix of rank 5")
    func rankDeficient() throws {
        var generator = Xoshiro256(seed: 3)
        let x = Matrix.normal(rows: 60, columns: 5, using: &generator)
        let s = x * x.transposed()
        let result = try SymmetricEigendecomposition(s)
        check(s, result)
        #expect(result.eigenvalues.dropFirst(5).allSatisfy { abs($0) < 1e-4 * result.eigenvalues[0] })
    }

    @Test("bad input is a thrown error naming the problem")
    func badInput() {
        #expect(throws: EigendecompositionError.empty) { try SymmetricEigendecomposition(Matrix(rows: 0, columns: 0)) }
        #expect(throws: EigendecompositionError.notSquare(rows: 2, columns: 3)) {
            try SymmetricEigendecomposition(Matrix(rows: 2, columns: 3))
        }
        #expect(throws: EigendecompositionError.notSymmetric(row: 1, column: 0, lower: 2, upper: 1)) {
            try SymmetricEigendecomposition(Matrix([[1, 1], [2, 1]]))
        }
        #expect(throws: EigendecompositionError.nonFinite(row: 1, column: 1, value: .infinity)) {
            try SymmetricEigendecomposition(Matrix([[1, 0], [0, .infinity]]))
        }
        #expect(throws: EigendecompositionError.invalidCount(3, size: 2)) { try SymmetricEigendecomposition(Matrix.identity(2), count: 3) }
        var nan = Matrix.identity(3)
        nan[2, 1] = .nan
        #expect(throws: (any Error).self) { try SymmetricEigendecomposition(nan) }
        #expect("\(EigendecompositionError.notSquare(rows: 2, columns: 3))" == "eigendecomposition: the matrix is (2 × 3), not square")
    }

    // MARK: Checks

    func check(_ s: Matrix, _ result: SymmetricEigendecomposition, knownEigenvalues: [Double]? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let n = s.rows, k = result.eigenvalues.count
        let epsilon = Double(Float.ulpOfOne)
        let norm = oneNorm((0..<n).map { i in (0..<n).map { Double(s[i, $0]) } })
        let u = (0..<n).map { i in (0..<k).map { Double(result.eigenvectors[i, $0]) } }
        let lambda = result.eigenvalues.map(Double.init)
        // Residual S·U − U·Λ.
        let residual = (0..<n).map { i in
            (0..<k).map { j in (0..<n).reduce(0.0) { $0 + Double(s[i, $1]) * u[$1][j] } - u[i][j] * lambda[j] }
        }
        let residualRatio = oneNorm(residual) / (Double(n) * max(norm, .leastNormalMagnitude) * epsilon)
        let gram = (0..<k).map { i in (0..<k).map { j in (0..<n).reduce(0.0) { $0 + u[$1][i] * u[$1][j] } - (i == j ? 1 : 0) } }
        let orthogonalityRatio = oneNorm(gram) / (Double(n) * epsilon)
        #expect(residualRatio < Self.ratioLimit, "n = \(n): residual ratio \(residualRatio)", sourceLocation: sourceLocation)
        #expect(orthogonalityRatio < Self.ratioLimit, "n = \(n): orthogonality ratio \(orthogonalityRatio)", sourceLocation: sourceLocation)
        let oracle = knownEigenvalues?.sorted(by: >) ?? jacobiEigenvalues((0..<n).map { i in (0..<n).map { Double(s[i, $0]) } })
        for (computed, expected) in zip(lambda, oracle) {
            #expect(
                abs(computed - expected) <= Double(n) * norm * epsilon, "n = \(n): eigenvalue \(computed), oracle \(expected)", sourceLocation: sourceLocation)
        }
        #expect(result.eigenvalues == result.eigenvalues.sorted(by: >), sourceLocation: sourceLocation)
        for j in 0..<k {
            let column = (0..<n).map { u[$0][j] }
            let largest = column.indices.max { abs(column[$0]) < abs(column[$1]) }!
            #expect(column[largest] > 0, "eigenvector \(j) breaks the sign convention", sourceLocation: sourceLocation)
        }
    }

    func oneNorm(_ a: [[Double]]) -> Double {
        guard let columns = a.first?.count else { return 0 }
        return (0..<columns).map { j in a.reduce(0.0) { $0 + abs($1[j]) } }.max() ?? 0
    }

    /// Cyclic Jacobi in Double, sweeps until the off-diagonal is negligible: the oracle.
    func jacobiEigenvalues(_ matrix: [[Double]]) -> [Double] {
        var a = matrix
        let n = a.count
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
            if off < 1e-30 * max(1e-300, a.joined().reduce(0) { $0 + $1 * $1 }) { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0][$0] }.sorted(by: >)
    }

    /// Q·diag(spectrum)·Qᵀ for a random orthogonal Q (Gram–Schmidt in Double).
    func rotated(_ spectrum: [Double], seed: UInt64) -> Matrix {
        let n = spectrum.count
        var generator = Xoshiro256(seed: seed)
        var q: [[Double]] = []
        while q.count < n {
            var v = (0..<n).map { _ in Double.random(in: -1...1, using: &generator) }
            for _ in 0..<2 {
                for u in q {
                    let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                    v = zip(v, u).map { $0 - dot * $1 }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            q.append(v.map { $0 / norm })
        }
        var s = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0...i {
                let value = Float((0..<n).reduce(0.0) { $0 + q[$1][i] * spectrum[$1] * q[$1][j] })
                s[i, j] = value
                s[j, i] = value
            }
        }
        return s
    }

    func randomSymmetric(_ n: Int, seed: UInt64) -> Matrix {
        var generator = Xoshiro256(seed: seed)
        var elements = [Float](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in j..<n {
                let value = Float.random(in: -1...1, using: &generator)
                elements[i + j * n] = value
                elements[j + i * n] = value
            }
        }
        return Matrix(rows: n, columns: n, columnMajor: elements)
    }
}
