/// Single-precision general matrix multiply with reference-BLAS semantics:
///
///     C ← α·op(A)·op(B) + β·C
///
/// where op(A) is (m × k), op(B) is (k × n) and C is (m × n), all column-major
/// with leading dimensions `lda`, `ldb` and `ldc`.
///
/// - When `β = 0`, C is overwritten without being read (it may hold NaN).
/// - When `α = 0` or `k = 0`, A and B are not read and C is only scaled by β.
/// - Invalid arguments stop the program with a message naming the argument,
///   as BLAS's `XERBLA` does: a negative size, or a leading dimension smaller
///   than the rows of the matrix it describes (and never smaller than 1).
///
/// Runs on ``Threading/threadCount`` threads when the product is large enough;
/// the result is bitwise identical for any thread count. A and B must not
/// overlap C.
///
/// - Parameters:
///   - transA: `.transpose` when op(A) = Aᵀ, `.noTranspose` when op(A) = A.
///   - transB: `.transpose` when op(B) = Bᵀ, `.noTranspose` when op(B) = B.
///   - m: the rows of op(A) and of C.
///   - n: the columns of op(B) and of C.
///   - k: the columns of op(A) and rows of op(B).
///   - alpha: the factor α of the product.
///   - a: the first element of A, column-major.
///   - lda: A's leading dimension: the distance between its columns, at least its rows (and at least 1).
///   - b: the first element of B, column-major.
///   - ldb: B's leading dimension, at least its rows (and at least 1).
///   - beta: the factor β of C's old value; 0 overwrites C without reading it.
///   - c: the first element of C, column-major; the result.
///   - ldc: C's leading dimension, at least m (and at least 1).
/// - Complexity: O(m·n·k).
public func sgemm(
    transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    sgemm(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, options: GEMMOptions())
}

/// ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` with per-call
/// options: a thread count that overrides ``Threading/threadCount`` and,
/// for benchmarks and tuning, the micro-kernel and block sizes.
///
/// - Parameters:
///   - transA: `.transpose` when op(A) = Aᵀ, `.noTranspose` when op(A) = A.
///   - transB: `.transpose` when op(B) = Bᵀ, `.noTranspose` when op(B) = B.
///   - m: the rows of op(A) and of C.
///   - n: the columns of op(B) and of C.
///   - k: the columns of op(A) and rows of op(B).
///   - alpha: the factor α of the product.
///   - a: the first element of A, column-major.
///   - lda: A's leading dimension: the distance between its columns, at least its rows (and at least 1).
///   - b: the first element of B, column-major.
///   - ldb: B's leading dimension, at least its rows (and at least 1).
///   - beta: the factor β of C's old value; 0 overwrites C without reading it.
///   - c: the first element of C, column-major; the result.
///   - ldc: C's leading dimension, at least m (and at least 1).
///   - options: the per-call thread count, micro-kernel, blocking, path and variant.
public func sgemm(
    transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, options: GEMMOptions
) {
    sgemm(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, epilogue: .none, options: options)
}

/// ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` with work
/// fused into the store of C: bias and activation for a layer's forward pass,
/// or the activation derivative for its backward pass (``GEMMEpilogue``).
/// Identical bits to the plain GEMM followed by the separate elementwise
/// kernels, for any thread count.
///
/// - Parameters:
///   - transA: `.transpose` when op(A) = Aᵀ, `.noTranspose` when op(A) = A.
///   - transB: `.transpose` when op(B) = Bᵀ, `.noTranspose` when op(B) = B.
///   - m: the rows of op(A) and of C.
///   - n: the columns of op(B) and of C.
///   - k: the columns of op(A) and rows of op(B).
///   - alpha: the factor α of the product.
///   - a: the first element of A, column-major.
///   - lda: A's leading dimension: the distance between its columns, at least its rows (and at least 1).
///   - b: the first element of B, column-major.
///   - ldb: B's leading dimension, at least its rows (and at least 1).
///   - beta: the factor β of C's old value; 0 overwrites C without reading it.
///   - c: the first element of C, column-major; the result.
///   - ldc: C's leading dimension, at least m (and at least 1).
///   - epilogue: the work fused into the store of C.
///   - options: the per-call thread count, micro-kernel, blocking, path and variant.
public func sgemm(
    transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
    epilogue: GEMMEpilogue, options: GEMMOptions = GEMMOptions()
) {
    let rowsA = transA == .noTranspose ? m : k
    let rowsB = transB == .noTranspose ? k : n
    checkArgument(m >= 0, 3, "m", "m = \(m) must be ≥ 0")
    checkArgument(n >= 0, 4, "n", "n = \(n) must be ≥ 0")
    checkArgument(k >= 0, 5, "k", "k = \(k) must be ≥ 0")
    checkArgument(lda >= max(1, rowsA), 8, "lda", "lda = \(lda) must be ≥ max(1, \(transA == .noTranspose ? "m" : "k") = \(rowsA))")
    checkArgument(ldb >= max(1, rowsB), 10, "ldb", "ldb = \(ldb) must be ≥ max(1, \(transB == .noTranspose ? "k" : "n") = \(rowsB))")
    checkArgument(ldc >= max(1, m), 13, "ldc", "ldc = \(ldc) must be ≥ max(1, m = \(m))")
    let threads = options.threads ?? Threading.threadCount
    require(threads >= 1, "sgemm: options.threads = \(threads) must be ≥ 1")
    let implementation = KernelDispatch.implementation(for: options.variant)
    let variant = implementation.variant
    let kernel = options.microKernel ?? .preferred(in: variant)
    require(kernel.isAvailable(in: variant), "sgemm: micro-kernel \(kernel) is not available in the \(variant) variant")

    epilogue.checkLeadingDimensions(m: m)

    if m == 0 || n == 0 { return }
    if alpha == 0 || k == 0 {
        if beta != 1 { scale(c, rows: m, columns: n, ldc: ldc, by: beta) }
        implementation.applyEpilogue(epilogue, rows: m, columns: n, c: c, ldc: ldc)
        return
    }
    let g = GEMMOperands(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, epilogue: epilogue)
    implementation.gemm(
        g, microKernel: kernel, path: options.path ?? .automatic(m: m, n: n, k: k, microKernel: kernel),
        blocking: options.blocking ?? .defaults(for: kernel), threads: threads)
}

/// Per-call settings for ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:options:)``.
public struct GEMMOptions: Sendable, Hashable {
    /// Threads to use; `nil` uses ``Threading/threadCount``.
    public var threads: Int?
    /// The micro-kernel; `nil` uses the variant's fastest (``GEMMMicroKernel/preferred``
    /// for the active variant).
    public var microKernel: GEMMMicroKernel?
    /// Cache block sizes for the packed path; `nil` uses ``GEMMBlocking/defaults(for:)``.
    public var blocking: GEMMBlocking?
    /// The loop organization; `nil` chooses by shape (``GEMMPath/automatic(m:n:k:microKernel:)``).
    public var path: GEMMPath?
    /// The variant to run, for tests and benchmarks that compare them; `nil`
    /// uses ``KernelVariant/active``. It must be one of ``KernelVariant/supported``.
    public var variant: KernelVariant?

    /// Creates options; every `nil` means the default.
    ///
    /// - Parameters:
    ///   - threads: the most threads the call uses; `nil` uses `Threading.threadCount`.
    ///   - microKernel: the register tile; `nil` uses the fastest of the variant.
    ///   - blocking: the cache block sizes; `nil` derives them from this machine's caches.
    ///   - path: the path; `nil` chooses it from the shape (`GEMMPath.automatic`).
    ///   - variant: the kernel variant to run; `nil` uses `KernelVariant.active`.
    public init(
        threads: Int? = nil, microKernel: GEMMMicroKernel? = nil, blocking: GEMMBlocking? = nil, path: GEMMPath? = nil,
        variant: KernelVariant? = nil
    ) {
        self.threads = threads
        self.microKernel = microKernel
        self.blocking = blocking
        self.path = path
        self.variant = variant
    }
}

extension GEMMMicroKernel {
    /// The fastest kernel of the active variant: ``simd16`` where it has
    /// 512-bit registers, else ``simd8``.
    public static var preferred: GEMMMicroKernel { preferred(in: .active) }

    /// Whether the active variant contains the kernel.
    public var isAvailable: Bool { isAvailable(in: .active) }

    /// The fastest kernel of `variant`.
    ///
    /// - Parameter variant: the kernel variant.
    public static func preferred(in variant: KernelVariant) -> GEMMMicroKernel {
        variant.hasWideVectors ? .simd16 : .simd8
    }

    /// Whether `variant` contains the kernel.
    ///
    /// - Parameter variant: the kernel variant.
    public func isAvailable(in variant: KernelVariant) -> Bool {
        self == .simd8 || variant.hasWideVectors
    }
}

/// Stops with an `XERBLA`-style message when an argument is invalid.
private func checkArgument(_ valid: Bool, _ position: Int, _ name: String, _ detail: @autoclosure () -> String) {
    require(valid, "sgemm: parameter \(position) (\(name)) had an illegal value: \(detail())")
}

/// `C ← β·C` for an (m × n) block; writes zeros without reading C when `β = 0`.
private func scale(_ c: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int, ldc: Int, by beta: Float) {
    for j in 0..<n {
        let column = c + j * ldc
        if beta == 0 {
            column.update(repeating: 0, count: m)
        } else {
            for i in 0..<m { column[i] *= beta }
        }
    }
}
