/// Cache block sizes for one micro-kernel; each cuts one loop of the nest in
/// `BlockedGEMM` and is derived in Docs/GEMM.md, "Block sizes".
struct GEMMBlocking {
    /// Loop 3 cuts m into MC-row blocks, so a packed A block (MC × KC) stays in L2.
    var mc: Int
    /// Loop 4 cuts k into KC-deep blocks, so a packed B micro-panel (KC × NR)
    /// stays in L1 while loop 1 streams A micro-panels past it.
    var kc: Int
    /// Loop 5 cuts n into NC-column blocks, so a packed B block (KC × NC) stays in L3.
    var nc: Int

    /// Blocking for the 16 × 6 `SIMD8<Float>` kernel.
    static let simd8 = GEMMBlocking(mc: 192, kc: 256, nc: 4092)
    /// Blocking for the 32 × 12 `SIMD16<Float>` kernel.
    static let simd16 = GEMMBlocking(mc: 192, kc: 256, nc: 4092)
}
