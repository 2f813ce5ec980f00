/// How a GEMM is organized (Docs/GEMM.md, "Two paths").
public enum GEMMPath: Sendable, Hashable, CaseIterable {
    /// The BLIS loop nest: cache-blocked, both operands packed into micro-panels.
    case packed
    /// No blocking, operands read in place by a strided micro-kernel: for
    /// products small enough that packing costs more than it saves.
    case direct
    /// No micro-tile: C one row at a time as vector–matrix products, on one
    /// thread. For products of a few rows (a single sample), where a tile of
    /// MR rows would mostly compute rows that do not exist.
    case rows

    /// The most rows for which ``automatic(m:n:k:microKernel:)`` picks ``rows``.
    public static let maximumRowsForRowPath = 8

    /// The path for an (m × k)·(k × n) product: ``rows`` for at most
    /// ``maximumRowsForRowPath`` rows; direct while the operands, (m + n)·k
    /// floats, are at most 1 MiB (SIMD8) or 2 MiB (SIMD16), where the direct
    /// path measured faster (Docs/GEMM.md, "Paths"); packed beyond.
    ///
    /// The choice depends on the shape and kernel only, never on the thread
    /// count, so results stay bitwise identical across thread counts.
    ///
    /// - Parameters:
    ///   - m: the rows of C.
    ///   - n: the columns of C.
    ///   - k: the depth of the product.
    ///   - microKernel: the register tile that will run.
    public static func automatic(m: Int, n: Int, k: Int, microKernel: GEMMMicroKernel) -> GEMMPath {
        if m <= maximumRowsForRowPath { return .rows }
        let limit = microKernel == .simd16 ? 1 << 19 : 1 << 18
        return (m + n) * k <= limit ? .direct : .packed
    }
}

/// The register-tiled micro-kernels the GEMM can run (Docs/GEMM.md).
public enum GEMMMicroKernel: Sendable, Hashable, CaseIterable {
    /// 16 × 6 tile on `SIMD8<Float>`: in every variant (8 × 6 on `SIMD4` in
    /// the baseline variant, whose 16 SSE registers hold no more accumulators).
    case simd8
    /// 32 × 12 tile on `SIMD16<Float>`: the `avx512` variant only.
    case simd16

    /// MR: the rows of the register tile (16 × 6 and 32 × 12; the baseline
    /// variant's `simd8` tile is 8 × 6, whose MR divides 16).
    package var tileRows: Int { self == .simd8 ? 16 : 32 }
    /// NR: the columns of the register tile.
    package var tileColumns: Int { self == .simd8 ? 6 : 12 }
}
