// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix T, in Double:
//
// 1. split T where an off-diagonal entry is negligible next to its two
//    diagonal neighbours (the matrix came from Float arithmetic, so Float's
//    ε sets "negligible"); each unreduced block is solved on its own;
// 2. eigenvalues of a block by implicit QL with Wilkinson shifts (EISPACK's
//    tql1): O(m²) flops, no vectors;
// 3. eigenvectors by inverse iteration on T − λI (LAPACK's sstein): one
//    tridiagonal LU with partial pivoting per eigenvalue and a few solves,
//    O(m) each; vectors of eigenvalues closer than `clusterGap`·‖T‖₁ are
//    orthogonalized against each other (modified Gram–Schmidt), and equal
//    eigenvalues are pulled apart by a few ε so that the solves differ.
//
// Inverse iteration computes only the vectors asked for, so the top k cost
// O(k·n) here instead of the O(n³) of accumulating QL's rotations.

/// A symmetric tridiagonal matrix and its eigenproblem.
struct SymmetricTridiagonal {
    /// Diagonal (n).
    var diagonal: [Double]
    /// Subdiagonal (n − 1).
    var offDiagonal: [Double]

    /// Vectors of eigenvalues closer than this times ‖T‖₁ are orthogonalized.
    /// In Double, inverse iteration leaves |uᵢᵀuⱼ| ≈ ε‖T‖/|λᵢ − λⱼ| ≤ 1.1e-7
    /// for the pairs it does not orthogonalize, below the Float ε of the
    /// result. (LAPACK's sstein, working in the input's precision, must use
    /// 1e-3; here that would orthogonalize the whole noise floor of a
    /// covariance matrix, O(n³) of Gram–Schmidt.)
    static let clusterGap = 1e-9

    /// Why the eigenproblem failed: QL took more than 60 iterations for one
    /// eigenvalue (never seen; reported rather than returning a wrong value).
    struct NoConvergence: Error {}

    /// The eigenpairs with the `count` largest eigenvalues, eigenvalues
    /// descending, vectors as the columns of a column-major (n × count) array.
    func largestEigenpairs(count: Int) throws(NoConvergence) -> (values: [Double], vectors: [Double]) {
        let n = diagonal.count
        let norm = oneNorm
        var pairs: [(value: Double, block: Range<Int>)] = []
        for block in unreducedBlocks() {
            for value in try Self.eigenvalues(Array(diagonal[block]), Array(offDiagonal[block.lowerBound..<(block.upperBound - 1)])) {
                pairs.append((value, block))
            }
        }
        // Descending by value; ties keep block order, so the result is deterministic.
        let order = pairs.indices.sorted { pairs[$0].value > pairs[$1].value || (pairs[$0].value == pairs[$1].value && $0 < $1) }
        let chosen = order.prefix(count).map { pairs[$0] }
        var vectors = [Double](repeating: 0, count: n * count)
        // Inverse iteration block by block, ascending within a block, so that
        // clusters are contiguous and the perturbation of equal values is one-sided.
        let byBlock = chosen.indices.sorted {
            (chosen[$0].block.lowerBound, chosen[$0].value, $0) < (chosen[$1].block.lowerBound, chosen[$1].value, $1)
        }
        var previous: (value: Double, block: Int)? = nil
        var cluster: [Int] = []
        for index in byBlock {
            let (value, block) = chosen[index]
            var shifted = value
            if let previous, previous.block == block.lowerBound, value - previous.value <= Self.clusterGap * norm {
                // Same cluster: pull equal values apart so the solves differ.
                shifted = max(value, previous.value + 10 * Double.ulpOfOne * max(norm, 1e-300))
            } else {
                cluster.removeAll()
            }
            let vector = inverseIteration(block: block, eigenvalue: shifted, orthogonalTo: cluster, in: vectors, n: n, seed: UInt64(index))
            for (offset, x) in vector.enumerated() { vectors[index * n + block.lowerBound + offset] = x }
            cluster.append(index)
            previous = (shifted, block.lowerBound)
        }
        return (chosen.map(\.value), vectors)
    }

    var oneNorm: Double {
        let n = diagonal.count
        var norm: Double = 0
        for i in 0..<n {
            let left = i > 0 ? abs(offDiagonal[i - 1]) : 0, right = i < n - 1 ? abs(offDiagonal[i]) : 0
            norm = max(norm, abs(diagonal[i]) + left + right)
        }
        return norm
    }

    /// Ranges of rows between negligible off-diagonal entries.
    func unreducedBlocks() -> [Range<Int>] {
        let n = diagonal.count
        var blocks: [Range<Int>] = [], start = 0
        for i in 0..<max(0, n - 1) where abs(offDiagonal[i]) <= Double(Float.ulpOfOne) * (abs(diagonal[i]) + abs(diagonal[i + 1])) {
            blocks.append(start..<(i + 1))
            start = i + 1
        }
        if n > 0 { blocks.append(start..<n) }
        return blocks
    }

    /// Eigenvalues of an unreduced block by implicit QL with Wilkinson shifts,
    /// ascending.
    static func eigenvalues(_ diagonal: [Double], _ offDiagonal: [Double]) throws(NoConvergence) -> [Double] {
        var d = diagonal, e = offDiagonal + [0]
        let n = d.count
        for l in 0..<n {
            var iterations = 0
            while true {
                var m = l
                while m < n - 1 {
                    let scale = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) <= Double.ulpOfOne * scale { break }
                    m += 1
                }
                if m == l { break }
                iterations += 1
                if iterations > 60 { throw NoConvergence() }
                // Wilkinson shift from the leading 2 × 2, then chase the bulge up from m.
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = (g * g + 1).squareRoot()
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
                var s: Double = 1, c: Double = 1, p: Double = 0
                var i = m - 1
                var underflow = false
                while i >= l {
                    let f = s * e[i], b = c * e[i]
                    r = (f * f + g * g).squareRoot()
                    e[i + 1] = r
                    if r == 0 {
                        d[i + 1] -= p
                        e[m] = 0
                        underflow = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    i -= 1
                }
                if underflow { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            }
        }
        return d.sorted()
    }

    /// The unit eigenvector of the block for `eigenvalue` (block coordinates),
    /// orthogonal to the vectors `cluster` of `vectors` (columns of length n).
    private func inverseIteration(
        block: Range<Int>, eigenvalue: Double, orthogonalTo cluster: [Int], in vectors: [Double], n: Int, seed: UInt64
    ) -> [Double] {
        let m = block.count
        if m == 1 { return [1] }
        let lu = TridiagonalLU(
            diagonal: block.map { diagonal[$0] - eigenvalue },
            offDiagonal: Array(offDiagonal[block.lowerBound..<(block.upperBound - 1)]),
            tiny: Double.ulpOfOne * max(oneNorm, Double.leastNormalMagnitude))
        var generator = Xoshiro256(seed: 0x5eed_0000 &+ seed)
        var x = (0..<m).map { _ in Double(generator.next() >> 11) * 0x1p-53 * 2 - 1 }
        // Each solve multiplies the wanted component by 1/|λ̂ − λ| ≈ 1/(ε‖T‖);
        // three solves after the start settle any vector, five settle clusters.
        let solves = cluster.isEmpty ? 3 : 5
        for _ in 0..<solves {
            normalize(&x)
            lu.solve(&x)
            vectors.withUnsafeBufferPointer { vectors in
                x.withUnsafeMutableBufferPointer { x in
                    for j in cluster {
                        let u = vectors.baseAddress! + j * n + block.lowerBound
                        var dot: Double = 0
                        for i in 0..<m { dot += u[i] * x[i] }
                        for i in 0..<m { x[i] -= dot * u[i] }
                    }
                }
            }
        }
        normalize(&x)
        return x
    }

    private func normalize(_ x: inout [Double]) {
        let scale = x.reduce(0) { max($0, abs($1)) }
        guard scale > 0 else {
            x[0] = 1
            return
        }
        var sum: Double = 0
        for value in x { sum += (value / scale) * (value / scale) }
        let factor = 1 / (scale * sum.squareRoot())
        for i in x.indices { x[i] *= factor }
    }
}

/// LU factorization with partial pivoting of a tridiagonal matrix (sgttrf),
/// pivots smaller than `tiny` replaced by `tiny` so that solving with a
/// singular T − λI gives the large, eigenvector-rich answer inverse iteration wants.
struct TridiagonalLU {
    private var d: [Double], du: [Double], du2: [Double], dl: [Double], swapped: [Bool]
    private let tiny: Double

    init(diagonal: [Double], offDiagonal: [Double], tiny: Double) {
        let n = diagonal.count
        d = diagonal
        du = offDiagonal
        dl = offDiagonal
        du2 = [Double](repeating: 0, count: max(0, n - 2))
        swapped = [Bool](repeating: false, count: max(0, n - 1))
        self.tiny = tiny
        for i in 0..<max(0, n - 1) {
            if abs(d[i]) >= abs(dl[i]) {
                let factor = d[i] == 0 ? 0 : dl[i] / d[i]
                dl[i] = factor
                d[i + 1] -= factor * du[i]
            } else {
                let factor = d[i] / dl[i]
                d[i] = dl[i]
                dl[i] = factor
                let upper = du[i]
                du[i] = d[i + 1]
                d[i + 1] = upper - factor * d[i + 1]
                if i < n - 2 {
                    du2[i] = du[i + 1]
                    du[i + 1] = -factor * du[i + 1]
                }
                swapped[i] = true
            }
        }
    }

    /// x ← (LU)⁻¹·x.
    func solve(_ x: inout [Double]) {
        let n = d.count
        for i in 0..<max(0, n - 1) {
            if swapped[i] { x.swapAt(i, i + 1) }
            x[i + 1] -= dl[i] * x[i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var value = x[i]
            if i + 1 < n { value -= du[i] * x[i + 1] }
            if i + 2 < n { value -= du2[i] * x[i + 2] }
            let pivot = abs(d[i]) < tiny ? (d[i] < 0 ? -tiny : tiny) : d[i]
            x[i] = value / pivot
        }
    }
}
