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
    /// - Parameters:
    ///   - mc: the rows of a packed block of A (loop 3).
    ///   - kc: the depth of a packed block (loop 4).
    ///   - nc: the columns of a packed block of B (loop 5).
    ///   - ms: the rows of a packed slab of A.
    ///   - file: the file reported if a precondition fails; the caller's by default.
    ///   - line: the line reported if a precondition fails; the caller's by default.
    /// - Precondition: all four are ≥ 1.
    public init(mc: Int, kc: Int, nc: Int, ms: Int = 4128, file: StaticString = #fileID, line: UInt = #line) {
        require(
            mc >= 1 && kc >= 1 && nc >= 1 && ms >= 1,
            "GEMMBlocking: mc = \(mc), kc = \(kc), nc = \(nc), ms = \(ms) must all be ≥ 1", file: file, line: line)
        self.mc = mc
        self.kc = kc
        self.nc = nc
        self.ms = ms
    }

    /// The blocking for a micro-kernel on this machine: derived from the
    /// caches the operating system reports (``CPUCaches/current``) by
    /// ``derived(for:caches:)``.
    ///
    /// - Parameter kernel: the micro-kernel the blocks are cut for.
    public static func defaults(for kernel: GEMMMicroKernel) -> GEMMBlocking {
        kernel == .simd8 ? machineSIMD8 : machineSIMD16
    }

    private static let machineSIMD8 = derived(for: .simd8, caches: .current)
    private static let machineSIMD16 = derived(for: .simd16, caches: .current)

    /// The block sizes the rule of Docs/GEMM.md ("Block sizes, from the
    /// caches") gives for `kernel` on a CPU with `caches`; a size the caches
    /// do not say takes the value it has on the measured machines (L1d 32 KiB,
    /// L2 ≥ 512 KiB, L3 share ≥ 16 MiB: MC 96, KC 512, NC 1020, MS 4128).
    ///
    /// - KC: the B micro-panel (KC × NR) in ¾ of L1d, in multiples of 64, at most 512.
    /// - MC: the packed A block (MC × KC) in ½ of L2, in multiples of MR, at most 96.
    /// - NC: the packed B block (KC × NC) in ¼ of the L3 share (L3 over the
    ///   processors sharing it), to the nearest multiple of 12 (both NRs), at most 1020.
    /// - MS: the packed A slab (MS × KC) in ½ of the L3 share, to the nearest
    ///   whole number of MC blocks, at most 43 blocks (4128 rows).
    ///
    /// It depends on the machine only, never on the thread count.
    ///
    /// - Parameters:
    ///   - kernel: the micro-kernel the blocks are cut for.
    ///   - caches: the cache sizes to fit.
    public static func derived(for kernel: GEMMMicroKernel, caches: CPUCaches) -> GEMMBlocking {
        let mr = kernel.tileRows, nr = kernel.tileColumns, float = MemoryLayout<Float>.stride
        let l1 = caches.l1Data ?? 32 << 10, l2 = caches.l2 ?? 512 << 10
        let kc = max(64, min(512, 3 * l1 / 4 / (nr * float) / 64 * 64))
        let mc = max(mr, min(96, l2 / 2 / (kc * float) / mr * mr))
        let l3Share = caches.l3.map { $0 / caches.l3SharedBy } ?? 16 << 20
        let nc = max(12, min(1020, nearest(l3Share / 4 / (kc * float), multipleOf: 12)))
        let ms = max(mc, min(43 * mc, nearest(l3Share / 2 / (kc * float), multipleOf: mc)))
        return GEMMBlocking(mc: mc, kc: kc, nc: nc, ms: ms)
    }

    private static func nearest(_ x: Int, multipleOf unit: Int) -> Int { (x + unit / 2) / unit * unit }
}
