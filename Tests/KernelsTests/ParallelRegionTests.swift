import Kernels
import Testing

@Suite("Parallel regions")
struct ParallelRegionTests {
    @Test("a phase of more pieces than a ticket counts runs every piece exactly once, inside and outside a region")
    func manyPieces() {
        let pieces = ParallelRegion.maximumPieces + 4_465
        for inRegion in [false, true] {
            var runs = [Int32](repeating: 0, count: pieces)
            runs.withUnsafeMutableBufferPointer { runs in
                // Each piece writes its own element only.
                if inRegion {
                    Threading.withParallelRegion(threads: 2) { Threading.parallelFor(pieces, threads: 2) { i in runs[i] += 1 } }
                } else {
                    Threading.parallelFor(pieces, threads: 2) { i in runs[i] += 1 }
                }
            }
            #expect(runs.allSatisfy { $0 == 1 }, "in a region: \(inRegion)")
        }
    }
}
