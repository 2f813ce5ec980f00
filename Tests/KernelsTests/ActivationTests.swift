import Foundation
import Kernels
import Testing

@Suite("Activations")
struct ActivationTests {
    @Test("saturation and special values")
    func saturation() {
        #expect(Activation.sigmoid(-100) == 0 && Activation.sigmoid(100) == 1)
        #expect(Activation.sigmoid(0) == 0.5)
        #expect(Activation.softplus(100) == 100)
        #expect(Activation.softplus(-100) >= 0 && Activation.softplus(-100) <= Float(3.8e-44 as Double))
        #expect(Activation.softplus(0) == Float(Foundation.log(2.0)))
        #expect(Activation.tanh(20) == 1 && Activation.tanh(-20) == -1)
        #expect(Activation.tanh(.infinity) == 1 && Activation.tanh(-.infinity) == -1)
        #expect(Activation.tanh(-0.0).sign == .minus)
        #expect(Activation.gelu(-.infinity) == 0 && Activation.gelu(.infinity) == .infinity)
        #expect(Activation.relu(-3) == 0 && Activation.relu(2.5) == 2.5)
        #expect(Activation.leakyReLU(slope: 0.25)(-4) == -1)
        #expect(Activation.hardSigmoid(-1) == 0 && Activation.hardSigmoid(0.25) == 0.25 && Activation.hardSigmoid(7) == 1)
        #expect(Activation.step(0) == 0 && Activation.step(1e-30) == 1)
        for f in Activation.allCases {
            #expect(f(.nan).isNaN, "\(f)(NaN)")
            #expect(f.derivative(at: .nan).isNaN || f == .identity, "\(f)′(NaN)")
        }
        let exp: (Float) -> Float = { x in
            var y: Float = 0
            [x].withUnsafeBufferPointer { x in
                withUnsafeMutablePointer(to: &y) { Elementwise.exp(x, into: UnsafeMutableBufferPointer(start: $0, count: 1)) }
            }
            return y
        }
        #expect(exp(88.8) == .infinity && exp(.infinity) == .infinity && exp(-.infinity) == 0)
        #expect(exp(-104) == 0 && exp(0) == 1 && exp(.nan).isNaN)
        #expect(exp(-100) > 0 && exp(-100) < Float(4e-44 as Double))  // subnormal result
    }

    @Test("derivatives match central differences in Double", arguments: Activation.allCases.filter(\.isDifferentiable))
    func derivatives(_ f: Activation) {
        let h = 1e-3
        // z = i/16 from −6 to 6 (integer steps: a floating-point stride computes
        // its points with `fma`, a library call in the baseline build that CI's
        // check for `fma` calls would flag).
        for z in (-96...96).map({ Double($0) / 16 }) where abs(z) > 2 * h && abs(z - 1) > 2 * h {
            // Difference quotient of the Float kernel evaluated around z.
            let numeric = (Double(f(Float(z + h))) - Double(f(Float(z - h)))) / (2 * h)
            let analytic = Double(f.derivative(at: Float(z)))
            #expect(abs(numeric - analytic) <= 2e-3 * max(1, abs(analytic)), "\(f)′(\(z)) = \(analytic), numeric \(numeric)")
        }
    }

    @Test("SIMD8 and SIMD16 kernels and 1, 2, 3 threads agree bitwise; in place works")
    func widthsAndThreadsAgree() {
        var g = Xoshiro256(seed: 7)
        let count = 3 * Elementwise.minimumElementsPerThread + 13
        let z = (0..<count).map { _ in Float.random(in: -30...30, using: &g) }
        let a = [Float](repeating: 0.25, count: count)
        for f in Activation.allCases {
            var results: [[Float]] = []
            for width in VectorWidth.allCases {
                for threads in [1, 2, 3] {
                    let options = ElementwiseOptions(threads: threads, width: width)
                    var out = [Float](repeating: .nan, count: count)
                    var gradient = z
                    z.withUnsafeBufferPointer { z in
                        out.withUnsafeMutableBufferPointer { Elementwise.apply(f, to: z, into: $0, options: options) }
                        a.withUnsafeBufferPointer { a in
                            gradient.withUnsafeMutableBufferPointer {
                                Elementwise.multiplyByDerivative(of: f, z: z, a: a, gradient: $0, options: options)
                            }
                        }
                    }
                    results.append(out + gradient)
                }
            }
            #expect(results.allSatisfy { $0.elementsEqual(results[0]) { $0.bitPattern == $1.bitPattern } }, "\(f)")
            var inPlace = z
            inPlace.withUnsafeMutableBufferPointer { Elementwise.apply(f, to: UnsafeBufferPointer($0), into: $0) }
            #expect(inPlace.elementsEqual(results[0].prefix(count)) { $0.bitPattern == $1.bitPattern }, "\(f) in place")
            #expect(zip(z.prefix(100), inPlace).allSatisfy { f($0).bitPattern == $1.bitPattern }, "\(f) scalar form")
        }
    }

    @Test("edge lengths 0…40 leave memory past the end untouched")
    func edgeLengths() {
        for count in 0...40 {
            let z = (0..<count).map { Float($0) - 20 }
            var out = [Float](repeating: -7, count: count + 5)
            z.withUnsafeBufferPointer { z in
                out.withUnsafeMutableBufferPointer {
                    Elementwise.apply(.sigmoid, to: z, into: UnsafeMutableBufferPointer(rebasing: $0[0..<count]))
                }
            }
            #expect(out.suffix(5).allSatisfy { $0 == -7 })
            #expect(zip(z, out).allSatisfy { Activation.sigmoid($0) == $1 })
        }
    }

    @Test("column sums (the bias gradient) match Double sums for every row count 0…70 and padded lda")
    func columnSums() {
        var g = Xoshiro256(seed: 3)
        for rows in 0...70 {
            let columns = 3, lda = rows + 5
            var a = [Float](repeating: .nan, count: lda * columns)
            for j in 0..<columns { for i in 0..<rows { a[i + j * lda] = Float.random(in: -1...1, using: &g) } }
            var sums = [Float](repeating: -1, count: columns)
            a.withUnsafeBufferPointer { Elementwise.columnSums(rows: rows, columns: columns, $0.baseAddress!, lda: lda, into: &sums) }
            for j in 0..<columns {
                let reference = (0..<rows).reduce(0.0) { $0 + Double(a[$1 + j * lda]) }
                #expect(abs(Double(sums[j]) - reference) <= 1e-5 * Double(max(1, rows)), "rows \(rows) column \(j)")
            }
        }
    }
}
