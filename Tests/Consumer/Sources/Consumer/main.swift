import Kernels
import MLP

// A GEMM against a naive loop and a short training, on the kernel variant the
// package chose for this CPU. `Consumer [--expect-variant NAME]` exits 1 when
// a check fails or another variant was chosen.
#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

func fail(_ message: String) -> Never {
    print("consumer: FAILED: \(message)")
    exit(1)
}

let arguments = CommandLine.arguments
let expected = arguments.firstIndex(of: "--expect-variant").map { arguments[$0 + 1] }
print("consumer: kernels \(BuildConfiguration.summary)")
if let expected, KernelVariant.active.rawValue != expected {
    fail("variant \(KernelVariant.active), expected \(expected)")
}

// C ← A·B for A (m × k), B (k × n) against a Double loop: packed, direct and
// row paths, 1 and 2 threads.
var generator = Xoshiro256(seed: 1)
for (m, n, k) in [(2, 2, 2), (5, 300, 200), (70, 90, 110), (300, 200, 150)] {
    let a = Matrix.uniform(rows: m, columns: k, in: -1...1, using: &generator)
    let b = Matrix.uniform(rows: k, columns: n, in: -1...1, using: &generator)
    for threads in [1, 2] {
        var c = Matrix(rows: m, columns: n, repeating: .nan)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    sgemm(
                        transA: .noTranspose, transB: .noTranspose, m: m, n: n, k: k, alpha: 1,
                        a: a.baseAddress!, lda: m, b: b.baseAddress!, ldb: k, beta: 0, c: c.baseAddress!, ldc: m,
                        options: GEMMOptions(threads: threads))
                }
            }
        }
        for j in 0..<n {
            for i in 0..<m {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    sum += Double(a[i, p]) * Double(b[p, j])
                    magnitude += abs(Double(a[i, p]) * Double(b[p, j]))
                }
                // The classical dot-product bound, k roundings at ε = 2⁻²³.
                if abs(Double(c[i, j]) - sum) > Double(k + 2) * 1.2e-7 * magnitude + 1e-30 {
                    fail("sgemm \(m)×\(n)×\(k), \(threads) threads: C[\(i), \(j)] = \(c[i, j]), expected \(sum)")
                }
            }
        }
    }
}
print("consumer: sgemm matches a Double loop (4 shapes, 1 and 2 threads)")

// XOR of the signs of two coordinates is not linearly separable: a
// 2 → 16 → 16 → 2 network must learn it to better than 95% accuracy.
let samples = 400
let inputs = Matrix.uniform(rows: samples, columns: 2, in: -1...1, using: &generator)
let labels = (0..<samples).map { (inputs[$0, 0] > 0) != (inputs[$0, 1] > 0) ? 1 : 0 }
do {
    let data = try Dataset(inputs: inputs, labels: labels, classes: 2)
    let network = try Network(
        inputs: 2, layers: [LayerSpec(16, .activation(.relu)), LayerSpec(16, .activation(.relu)), LayerSpec(2, .softmax)], seed: 3)
    let trainer = try Trainer(network: network, loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 0.01), seed: 3)
    try trainer.fit(data, options: TrainingOptions(epochs: 300, batchSize: 40))
    let result = try trainer.network.evaluate(data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
    let accuracy = result.accuracy ?? 0
    print("consumer: XOR trained, loss \(result.loss), accuracy \(accuracy)")
    if accuracy < 0.95 { fail("training reached accuracy \(accuracy) < 0.95") }
} catch {
    fail("training: \(error)")
}
print("consumer: all checks passed on \(KernelVariant.active)")
