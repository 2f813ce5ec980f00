import Foundation
import Kernels
import Testing

@Suite("Softmax and losses")
struct LossTests {
    /// Row-wise reference softmax and log-softmax in Double.
    static func referenceLogSoftmax(_ z: Matrix, row i: Int) -> [Double] {
        let row = (0..<z.columns).map { Double(z[i, $0]) }
        let m = row.max()!
        let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
        return row.map { $0 - lse }
    }

    /// The loss in Double, straight from its definition.
    static func reference(_ loss: Loss, _ z: Matrix, _ t: Matrix) -> Double {
        var total = 0.0
        for i in 0..<z.rows {
            switch loss {
            case .meanSquaredError, .sumOfSquares:
                for j in 0..<z.columns { total += pow(Double(z[i, j]) - Double(t[i, j]), 2) }
            case .softmaxCrossEntropy:
                let logp = referenceLogSoftmax(z, row: i)
                for j in 0..<z.columns { total -= Double(t[i, j]) * logp[j] }
            case .sigmoidCrossEntropy:
                for j in 0..<z.columns {
                    let x = Double(z[i, j])
                    total += max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x))) - Double(t[i, j]) * x
                }
            case .multiclassHinge:
                let c = (0..<t.columns).max { t[i, $0] < t[i, $1] }!
                for j in 0..<z.columns where j != c { total += max(0, 1 + Double(z[i, j]) - Double(z[i, c])) }
            }
        }
        switch loss {
        case .sumOfSquares: return total
        case .meanSquaredError, .sigmoidCrossEntropy: return total / Double(z.rows * z.columns)
        case .softmaxCrossEntropy, .multiclassHinge: return total / Double(z.rows)
        }
    }

    static func oneHot(rows: Int, classes: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256(seed: seed)
        var t = Matrix(rows: rows, columns: classes)
        for i in 0..<rows { t[i, Int.random(in: 0..<classes, using: &g)] = 1 }
        return t
    }

    @Test("softmax and log-softmax: stable for ±1000 and equal logits, rows of any count")
    func softmax() {
        for rows in [1, 7, 8, 16, 17, 33] {
            var g = Xoshiro256(seed: UInt64(rows))
            var z = Matrix.uniform(rows: rows, columns: 10, in: -5...5, using: &g)
            z[0, 3] = 1000
            if rows > 1 {
                z[1, 2] = -1000
                z[1, 5] = 1000
            }
            if rows > 2 { for j in 0..<10 { z[2, j] = 42 } }
            let p = z.softmax(), logp = z.logSoftmax()
            for i in 0..<rows {
                let reference = Self.referenceLogSoftmax(z, row: i)
                var sum = 0.0
                for j in 0..<10 {
                    #expect(abs(Double(logp[i, j]) - reference[j]) <= 1e-5 * max(1, abs(reference[j])))
                    #expect(abs(Double(p[i, j]) - Foundation.exp(reference[j])) <= 1e-6)
                    sum += Double(p[i, j])
                }
                #expect(abs(sum - 1) <= 1e-5)
            }
            if rows > 2 { #expect((0..<10).allSatisfy { p[2, $0] == 0.1 }) }
            #expect(p[0, 3] == 1 && logp[0, 3] == 0)
        }
    }

    @Test("loss values match Double references, gradients match central differences", arguments: Loss.allCases)
    func valuesAndGradients(_ loss: Loss) {
        for rows in [1, 5, 16, 19] {
            let columns = 4
            var g = Xoshiro256(seed: 11)
            let z = Matrix.uniform(rows: rows, columns: columns, in: -3...3, using: &g)
            let t =
                loss == .sigmoidCrossEntropy || loss == .meanSquaredError || loss == .sumOfSquares
                ? Matrix.uniform(rows: rows, columns: columns, in: 0...1, using: &g)
                : Self.oneHot(rows: rows, classes: columns, seed: 13)
            let (value, gradient) = loss.valueAndGradient(z, t)
            let expected = Self.reference(loss, z, t)
            #expect(abs(value - expected) <= 1e-5 * max(1, abs(expected)), "\(loss) rows \(rows): \(value) vs \(expected)")
            #expect(loss(z, t) == value)
            let h: Float = 1e-2
            for i in 0..<rows where !(loss == .multiclassHinge && Self.nearHingeKink(z, t, row: i, within: 2 * h)) {
                for j in 0..<columns {
                    var plus = z, minus = z
                    plus[i, j] += h
                    minus[i, j] -= h
                    let numeric = (Self.reference(loss, plus, t) - Self.reference(loss, minus, t)) / Double(plus[i, j] - minus[i, j])
                    #expect(abs(numeric - Double(gradient[i, j])) <= 2e-3 * max(1, abs(numeric)), "\(loss) ∂/∂z[\(i), \(j)]")
                }
            }
        }
    }

    /// Whether a hinge margin of row i is within `h` of 0, where the loss has
    /// a kink and central differences are meaningless.
    static func nearHingeKink(_ z: Matrix, _ t: Matrix, row i: Int, within h: Float) -> Bool {
        let c = (0..<t.columns).max { t[i, $0] < t[i, $1] }!
        return (0..<z.columns).contains { $0 != c && abs(1 + z[i, $0] - z[i, c]) < h }
    }

    @Test("cross-entropy from extreme logits is finite and exact")
    func extremeLogits() {
        let z = Matrix([[1000, -1000, 0], [-1000, -1000, -1000], [5, 5, 5]])
        let t = Matrix([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
        let (value, gradient) = Loss.softmaxCrossEntropy.valueAndGradient(z, t)
        let expected = (2000 + Foundation.log(3.0) + Foundation.log(3.0)) / 3
        #expect(abs(value - expected) <= 1e-4)
        #expect(gradient.elements.allSatisfy { $0.isFinite })
        #expect(abs(gradient[0, 0] - 1.0 / 3) <= 1e-6 && abs(gradient[0, 1] + 1.0 / 3) <= 1e-6)
        let bce = Loss.sigmoidCrossEntropy(Matrix([[1000, -1000]]), Matrix([[0, 1]]))
        #expect(abs(bce - 1000) <= 1e-3)
    }
}
