#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Kernels

// C ← A·B for A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]] (column-major).
let a: [Float] = [1, 3, 2, 4]
let b: [Float] = [5, 7, 6, 8]
var c = [Float](repeating: .nan, count: 4)
sgemm(transA: .noTranspose, transB: .noTranspose, m: 2, n: 2, k: 2, alpha: 1,
      a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
let expected: [Float] = [19, 43, 22, 50]
print("consumer: sgemm → \(c) (build: \(BuildConfiguration.summary))")
if c != expected {
    print("consumer: expected \(expected)")
    exit(1)
}
