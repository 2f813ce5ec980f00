import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A system BLAS loaded at run time with `dlopen`, so the package links
/// nothing: `cblas_sgemm` is called through a C function pointer.
struct SystemBLAS {
    typealias CBLASSgemm =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
            UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void

    /// "openblas", "blis", "mkl" or "blas".
    let name: String
    private let sgemmFunction: CBLASSgemm
    private let setThreadsFunction: SetThreads?

    /// Libraries tried in order, with the name reported and the function that
    /// sets their thread count.
    private static let candidates: [(name: String, files: [String], setThreads: String?)] = [
        ("openblas", ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"], "openblas_set_num_threads"),
        ("blis", ["libblis.so.4", "libblis.so", "libblis.dylib"], "bli_thread_set_num_threads"),
        ("mkl", ["libmkl_rt.so", "libmkl_rt.so.2", "libmkl_rt.dylib"], "MKL_Set_Num_Threads"),
        ("blas", ["libblas.so.3", "libblas.so", "libblas.dylib"], nil),
    ]

    /// The first system BLAS found, or nil.
    static func load() -> SystemBLAS? {
        for candidate in candidates {
            for file in candidate.files {
                guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL),
                    let sgemm = dlsym(handle, "cblas_sgemm")
                else { continue }
                let setThreads = candidate.setThreads.flatMap { dlsym(handle, $0) }
                return SystemBLAS(
                    name: candidate.name, sgemmFunction: unsafeBitCast(sgemm, to: CBLASSgemm.self),
                    setThreadsFunction: setThreads.map { unsafeBitCast($0, to: SetThreads.self) })
            }
        }
        return nil
    }

    /// Whether this BLAS lets the benchmark choose its thread count (otherwise
    /// its multi-threaded rows are not comparable and are reported as n/a).
    var canSetThreads: Bool { setThreadsFunction != nil }

    /// Sets the library's thread count, when it has a way to.
    func setThreads(_ count: Int) { setThreadsFunction?(Int32(count)) }

    /// Column-major `cblas_sgemm` with the same arguments as ``sgemm``.
    func sgemm(
        transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let columnMajor: Int32 = 102, noTrans: Int32 = 111, trans: Int32 = 112
        sgemmFunction(
            columnMajor, transA == .noTranspose ? noTrans : trans, transB == .noTranspose ? noTrans : trans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
