/// Cache block sizes for one micro-kernel; each cuts one loop of the nest in
/// `BlockedGEMM` and is derived in Docs/GEMM.md, "Block sizes from the caches".
///
/// The defaults suit the caches of current x86 and arm64 cores; benchmarks
/// sweep others through ``GEMMOptions/blocking``.
public struct GEMMBlocking: Sendable, Hashable {
    /// Loop 3 cuts m into MC-row blocks, so a packed A block (MC × KC) stays in L2.
    public var mc: Int
    /// Loop 4 cuts k into KC-deep blocks, so a packed B micro-panel (KC × NR)
    /// stays in L1 while loop 1 streams A micro-panels past it.
    public var kc: Int
    /// Loop 5 cuts n into NC-column blocks, so a packed B block (KC × NC) stays in L3.
    public var nc: Int

    /// Creates block sizes; MC and NC are rounded up to whole micro-tiles by the
    /// driver's use of them.
    ///
    /// - Precondition: all three are ≥ 1.
    public init(mc: Int, kc: Int, nc: Int) {
        require(mc >= 1 && kc >= 1 && nc >= 1, "GEMMBlocking: mc = \(mc), kc = \(kc), nc = \(nc) must all be ≥ 1")
        self.mc = mc
        self.kc = kc
        self.nc = nc
    }

    /// The default blocking for a micro-kernel.
    public static func defaults(for kernel: GEMMMicroKernel) -> GEMMBlocking {
        kernel == .simd8 ? .simd8 : .simd16
    }

    /// Blocking for the 16 × 6 `SIMD8<Float>` kernel.
    static let simd8 = GEMMBlocking(mc: 96, kc: 512, nc: 4092)
    /// Blocking for the 32 × 12 `SIMD16<Float>` kernel.
    static let simd16 = GEMMBlocking(mc: 96, kc: 512, nc: 4092)
}
