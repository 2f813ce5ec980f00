import Foundation
import Kernels
import MLP
import Testing

/// PCA's identities, its two routes, and its file. Tolerances are relative to
/// the total variance: every quantity passes through Float sums of N·D terms.
@Suite("PCA")
struct PCATests {
    /// (n × d) data with `strong` directions of large variance plus small noise, and a far-off mean.
    static func correlated(rows n: Int, columns d: Int, strong: Int, seed: UInt64) -> Matrix {
        var generator = Xoshiro256(seed: seed)
        let factors = Matrix.normal(rows: n, columns: strong, using: &generator)
        var loadings = Matrix.normal(rows: strong, columns: d, using: &generator)
        for i in 0..<strong {
            for j in 0..<d { loadings[i, j] *= Float(strong - i) }
        }
        var x = factors * loadings + Matrix.normal(rows: n, columns: d, standardDeviation: 0.05, using: &generator)
        for j in 0..<d {
            for i in 0..<n { x[i, j] += 10 + Float(j) }
        }
        return x
    }

    @Test("reconstruction error on the training data is the sum of the discarded eigenvalues")
    func reconstructionIdentity() throws {
        let x = Self.correlated(rows: 500, columns: 20, strong: 3, seed: 1)
        let all = try PCA(fitting: x, components: 20)
        let n = Double(x.rows)
        for m in [1, 3, 7] {
            let pca = try PCA(fitting: x, components: m)
            let discarded = all.explainedVariance[m...].reduce(0.0) { $0 + Double($1) } * (n - 1) / n
            let error = try pca.reconstructionError(x)
            #expect(abs(error - discarded) <= 1e-4 * Double(all.totalVariance), "M = \(m): error \(error), discarded \(discarded)")
            let viaTotal = (Double(pca.totalVariance) - pca.explainedVariance.reduce(0.0) { $0 + Double($1) }) * (n - 1) / n
            #expect(abs(error - viaTotal) <= 1e-4 * Double(all.totalVariance))
        }
        #expect(abs(all.explainedVarianceRatio.reduce(0, +) - 1) < 1e-4)
    }

    @Test("the variance of each projected coordinate is its explained variance; components are orthonormal; whitening gives unit variance")
    func projections() throws {
        let x = Self.correlated(rows: 400, columns: 12, strong: 4, seed: 2)
        for whiten in [false, true] {
            let pca = try PCA(fitting: x, components: 5, whiten: whiten)
            let z = try pca.transform(x)
            for j in 0..<5 {
                let column = (0..<z.rows).map { Double(z[$0, j]) }
                let mean = column.reduce(0, +) / Double(z.rows)
                let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(z.rows - 1)
                // Eigenvalues are accurate to ε·λ₀ in absolute terms, so the
                // check is scaled by the largest variance (a whitened variance by its own).
                let scale = whiten ? Double(pca.explainedVariance[j]) : 1
                let error = abs(variance - (whiten ? 1 : Double(pca.explainedVariance[j]))) * scale
                #expect(abs(mean) < 1e-3 && error < 1e-5 * Double(pca.explainedVariance[0]), "whiten \(whiten), component \(j): variance \(variance)")
                for k in 0..<5 {
                    let dot = (0..<12).reduce(0.0) { $0 + Double(pca.components[$1, j]) * Double(pca.components[$1, k]) }
                    #expect(abs(dot - (j == k ? 1 : 0)) < 1e-5)
                }
            }
            let back = try pca.inverseTransform(z)
            #expect(try abs(PCA.meanSquaredResidual(x, back) - (try pca.reconstructionError(x))) < 1e-6 * Double(pca.totalVariance))
        }
    }

    @Test("when N < D the Gram route is chosen and gives the covariance route's components")
    func gramRoute() throws {
        let x = Self.correlated(rows: 40, columns: 60, strong: 5, seed: 3)
        let automatic = try PCA(fitting: x, components: 5)
        let direct = try PCA(fitting: x, components: 5, route: .covariance)
        #expect(automatic.route == .gram && direct.route == .covariance)
        for j in 0..<5 {
            let difference = (0..<60).map { abs(automatic.components[$0, j] - direct.components[$0, j]) }.max()!
            #expect(difference < 1e-4, "component \(j) differs by \(difference)")
            #expect(abs(automatic.explainedVariance[j] - direct.explainedVariance[j]) <= 1e-5 * direct.totalVariance)
        }
    }

    @Test("a few components of a large matrix take the randomized route: the covariance route's answer within 1e-4, the same bits for any thread count")
    func randomizedRoute() throws {
        let x = Self.correlated(rows: 2000, columns: 600, strong: 12, seed: 10)
        let fast = try PCA(fitting: x, components: 8, threads: 1)
        let exact = try PCA(fitting: x, components: 8, route: .covariance)
        #expect(fast.route == .randomized && exact.route == .covariance)
        for j in 0..<8 {
            #expect(abs(fast.explainedVarianceRatio[j] - exact.explainedVarianceRatio[j]) < 1e-4)
            let difference = (0..<600).map { abs(fast.components[$0, j] - exact.components[$0, j]) }.max()!
            #expect(difference < 1e-3, "component \(j) differs by \(difference)")
        }
        for threads in [2, 3] { #expect(try PCA(fitting: x, components: 8, threads: threads) == fast) }
    }

    @Test("when the randomized result fails its residual check (a flat spectrum), the fit falls back to the covariance route")
    func randomizedFallback() throws {
        var generator = Xoshiro256(seed: 12)
        let noise = Matrix.normal(rows: 1100, columns: 1000, using: &generator)
        let pca = try PCA(fitting: noise, components: 5, route: .randomized)
        #expect(pca.route == .covariance)
        #expect(pca == (try PCA(fitting: noise, components: 5, route: .covariance)))
    }

    @Test("the same bits for any thread count")
    func deterministic() throws {
        let x = Self.correlated(rows: 300, columns: 150, strong: 6, seed: 4)
        let one = try PCA(fitting: x, components: 8, threads: 1)
        for threads in [2, 3, 8] { #expect(try PCA(fitting: x, components: 8, threads: threads) == one) }
    }

    @Test("bad input is a thrown error naming the problem")
    func badInput() {
        let x = Self.correlated(rows: 10, columns: 4, strong: 2, seed: 5)
        #expect(throws: PCAError.componentCount(5, limit: 4, rows: 10, columns: 4)) { try PCA(fitting: x, components: 5) }
        #expect(throws: PCAError.componentCount(0, limit: 4, rows: 10, columns: 4)) { try PCA(fitting: x, components: 0) }
        #expect(throws: PCAError.tooFewSamples(rows: 1, columns: 4)) { try PCA(fitting: Matrix(rows: 1, columns: 4), components: 1) }
        var bad = x
        bad[6, 2] = -.infinity
        #expect(throws: PCAError.nonFinite(row: 6, column: 2, value: bad[6, 2])) { try PCA(fitting: bad, components: 2) }
        #expect("\(PCAError.componentCount(5, limit: 4, rows: 10, columns: 4))" == "PCA: 5 components asked for; (10 × 4) data allows 1 to 4 (min(N − 1, D))")
        // Rank 2 data cannot give 3 Gram-route components.
        var generator = Xoshiro256(seed: 99)
        let flat = Matrix.normal(rows: 5, columns: 2, using: &generator) * Matrix.normal(rows: 2, columns: 9, using: &generator)
        #expect(throws: PCAError.rankDeficient(rank: 2, requested: 3)) { try PCA(fitting: flat, components: 3) }
        #expect(throws: PCAError.featureCount(3, expected: 4)) { try PCA(fitting: x, components: 2).transform(Matrix(rows: 2, columns: 3)) }
    }

    @Test("saved and loaded exactly; damage is reported; the version-1 fixture loads")
    func file() throws {
        let x = Self.correlated(rows: 100, columns: 6, strong: 2, seed: 6)
        let pca = try PCA(fitting: x, components: 3, whiten: true)
        let path = ModelFileTests.temporaryPath("fit.pca")
        let layout = ModelFile.DataLayout(labelColumn: "label", featureCount: 6, classes: nil)
        let saved = PCAFile(pca: pca, normalization: Normalization(fitting: x), dataLayout: layout)
        try saved.write(to: path)
        #expect(try PCAFile.read(from: path) == saved)
        var bytes = try AtomicFile.read(path)
        bytes[40] ^= 1
        #expect(throws: ModelFileError.self) { try PCAFile.read(bytes: bytes, path: path) }
        #expect(throws: ModelFileError.notAPCA(path: "x")) { try PCAFile.read(bytes: Array("SMLP\u{2}\0\0\0".utf8), path: "x") }
        let fixture = try PCAFile.read(from: ModelFileTests.fixture("pca-v1.pca"))
        #expect(fixture.pca.featureCount == 6 && fixture.pca.componentCount == 3 && fixture.pca.whitens)
        #expect(fixture.dataLayout?.labelColumn == "label" && fixture.normalization?.mean.count == 6)
        let projected = try fixture.pca.transform(Matrix(rows: 1, columns: 6, columnMajor: [1, 2, 3, 4, 5, 6]))
        #expect(projected.count == 3 && projected.elements.allSatisfy(\.isFinite))
    }
}
