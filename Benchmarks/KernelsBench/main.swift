import Kernels
import Dispatch
for kernel in GEMMMicroKernel.allCases where kernel.isAvailable {
  for n in [256, 512, 1024] {
    for threads in [1, 2] {
    var a = [Float](repeating: 1, count: n*n), b = a, c = a
    func run() { a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
      sgemm(transA: .noTranspose, transB: .noTranspose, m: n, n: n, k: n, alpha: 1, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n, options: GEMMOptions(threads: threads, microKernel: kernel)) }}}}
    run()
    var best = Double.infinity
    for _ in 0..<5 { let t0 = DispatchTime.now().uptimeNanoseconds; run(); best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0)) }
    print(kernel, n, threads, 2*Double(n*n*n)/best, "GFLOP/s", c[0])
    }
  }
}
