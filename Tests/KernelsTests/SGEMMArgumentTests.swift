import Kernels
import Testing

/// Invalid arguments stop the process with a message naming the argument, as
/// BLAS's XERBLA does. Each case runs in a child process (an exit test).
@Suite("sgemm rejects invalid arguments")
struct SGEMMArgumentTests {
    /// Runs `sgemm` with one bad argument in a child process and returns what
    /// it printed to standard error.
    static func stderr(of result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("negative m names parameter 3")
    func negativeM() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: -1, n: 2, k: 2, lda: 4, ldb: 4, ldc: 4)
        }
        #expect(Self.stderr(of: result).contains("parameter 3 (m)"))
    }

    @Test("negative n names parameter 4")
    func negativeN() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: 2, n: -3, k: 2, lda: 4, ldb: 4, ldc: 4)
        }
        #expect(Self.stderr(of: result).contains("parameter 4 (n)"))
    }

    @Test("negative k names parameter 5")
    func negativeK() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: 2, n: 2, k: -2, lda: 4, ldb: 4, ldc: 4)
        }
        #expect(Self.stderr(of: result).contains("parameter 5 (k)"))
    }

    @Test("lda below the rows of A names parameter 8, for either transpose")
    func smallLDA() async {
        let plain = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: 5, n: 2, k: 2, lda: 4, ldb: 4, ldc: 8)
        }
        #expect(Self.stderr(of: plain).contains("parameter 8 (lda)"))
        let transposed = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .transpose, transB: .noTranspose, m: 2, n: 2, k: 6, lda: 5, ldb: 6, ldc: 2)
        }
        #expect(Self.stderr(of: transposed).contains("parameter 8 (lda)"))
    }

    @Test("ldb below the rows of B names parameter 10")
    func smallLDB() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .transpose, m: 2, n: 7, k: 2, lda: 2, ldb: 6, ldc: 2)
        }
        #expect(Self.stderr(of: result).contains("parameter 10 (ldb)"))
    }

    @Test("ldc below m, or zero for an empty C, names parameter 13")
    func smallLDC() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: 3, n: 2, k: 2, lda: 3, ldb: 2, ldc: 2)
        }
        #expect(Self.stderr(of: result).contains("parameter 13 (ldc)"))
        let empty = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            callSGEMM(transA: .noTranspose, transB: .noTranspose, m: 0, n: 0, k: 0, lda: 1, ldb: 1, ldc: 0)
        }
        #expect(Self.stderr(of: empty).contains("parameter 13 (ldc)"))
    }

    @Test("a matrix product of mismatched shapes names both shapes")
    func matrixShapeMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Matrix(rows: 3, columns: 4) * Matrix(rows: 5, columns: 2)
        }
        #expect(Self.stderr(of: result).contains("(3 × 4) · (5 × 2)"))
        let output = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var c = Matrix(rows: 2, columns: 2)
            Matrix.multiply(Matrix(rows: 3, columns: 4), Matrix(rows: 4, columns: 2), into: &c)
        }
        #expect(Self.stderr(of: output).contains("output is (2 × 2)"))
    }
}

/// Calls `sgemm` on buffers large enough for any valid reading of the
/// arguments; exit-test bodies call it because they cannot capture values.
func callSGEMM(transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int) {
    let x = [Float](repeating: 1, count: 64)
    var c = x
    sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: x, lda: lda, b: x, ldb: ldb, beta: 0, c: &c, ldc: ldc)
}
