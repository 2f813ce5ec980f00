/// Cache block sizes for one micro-kernel; each cuts one loop of the nest in
/// `BlockedGEMM` and is derived in Docs/GEMM.md, "Block sizes from the caches".
///
/// The defaults suit the caches of current x86 and arm64 cores; benchmarks
/// sweep others through ``GEMMOptions/blocking``.
public struct GEMMBlocking: Sendable, Hashable {
    /// Loop 3 cuts a slab into MC-row blocks, so a packed A block (MC × KC)
    /// stays in L2.
    public var mc: Int
    /// Loop 5 cuts k into KC-deep slices, so a packed B micro-panel (KC × NR)
    /// stays in L1 while loop 1 streams A micro-panels past it.
    public var kc: Int
    /// Loop 4 cuts n into NC-column blocks, so a packed B block (KC × NC) stays
    /// in L3 beside the packed A slab.
    public var nc: Int
    /// Loop 6 cuts m into MS-row slabs; a slab's A (MS × KC) is packed once per
    /// KC slice and bounds the packing memory.
    public var ms: Int

    /// Creates block sizes; MC and NC are rounded up to whole micro-tiles, and
    /// MS to whole MC blocks, by the driver's use of them. MS defaults to 4128
    /// rows, 43 blocks of 96: a packed slab of 8.1 MiB at KC = 512.
    ///
    /// - Precondition: all four are ≥ 1.
    public init(mc: Int, kc: Int, nc: Int, ms: Int = 4128) {
        require(
            mc >= 1 && kc >= 1 && nc >= 1 && ms >= 1,
            "GEMMBlocking: mc = \(mc), kc = \(kc), nc = \(nc), ms = \(ms) must all be ≥ 1")
        self.mc = mc
        self.kc = kc
        self.nc = nc
        self.ms = ms
    }

    /// The default blocking for a micro-kernel.
    public static func defaults(for kernel: GEMMMicroKernel) -> GEMMBlocking {
        kernel == .simd8 ? .simd8 : .simd16
    }

    /// Blocking for the 16 × 6 `SIMD8<Float>` kernel.
    static let simd8 = GEMMBlocking(mc: 96, kc: 512, nc: 1020)
    /// Blocking for the 32 × 12 `SIMD16<Float>` kernel.
    static let simd16 = GEMMBlocking(mc: 96, kc: 512, nc: 1020)
}
