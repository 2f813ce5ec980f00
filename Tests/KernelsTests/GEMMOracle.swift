import Kernels
import Testing

/// One GEMM problem: shapes, transposes, scalars, padding of the leading
/// dimensions, thread count and micro-kernel.
struct GEMMCase: CustomTestStringConvertible, Sendable {
    var transA = Transpose.noTranspose
    var transB = Transpose.noTranspose
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float = 1
    var beta: Float = 0
    /// Extra rows in each leading dimension, filled with sentinels.
    var padding = 0
    var threads = 1
    var kernel = GEMMMicroKernel.preferred
    /// nil: the automatic choice.
    var path: GEMMPath?
    /// nil: the kernel's default block sizes.
    var blocking: GEMMBlocking?
    /// nil: the active variant.
    var isa: KernelVariant?

    var testDescription: String {
        "\(transA.blasCharacter)\(transB.blasCharacter) m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta) pad=\(padding) threads=\(threads) \(kernel) \(path.map { "\($0)" } ?? "auto") \(isa ?? KernelVariant.active)\(blocking.map { " mc=\($0.mc) kc=\($0.kc) nc=\($0.nc) ms=\($0.ms)" } ?? "")"
    }
}

/// A column-major operand with its leading dimension; elements outside the
/// (rows × columns) view hold `padValue`.
struct Operand {
    var rows: Int
    var columns: Int
    var ld: Int
    var data: [Float]

    init(rows: Int, columns: Int, padding: Int, padValue: Float, generator: inout Xoshiro256) {
        self.rows = rows
        self.columns = columns
        ld = max(1, rows) + padding
        data = [Float](repeating: padValue, count: ld * max(columns, 1))
        for j in 0..<columns {
            for i in 0..<rows { data[i + j * ld] = Float(generator.next() % 2001) / 1000 - 1 }
        }
    }

    subscript(i: Int, j: Int) -> Float {
        get { data[i + j * ld] }
        set { data[i + j * ld] = newValue }
    }

    var magnitudes: Operand {
        var r = self
        r.data = data.map(abs)
        return r
    }
}

/// Marks a C element outside the view: it must come back bit for bit.
let sentinel: Float = -12345.5

/// Runs `sgemm` and the `Double` reference on the same random operands and
/// returns the C view and the reference, checking on the way that nothing
/// outside the C view was written.
///
/// Padding of A and B holds NaN, so a kernel that reads outside the views
/// poisons its result. When `cIsNaN`, C starts as NaN (only valid with β = 0).
func runGEMM(
    _ t: GEMMCase, seed: UInt64 = 1, cIsNaN: Bool = false,
    edit: (inout Operand, inout Operand) -> Void = { _, _ in },
    sourceLocation: SourceLocation = #_sourceLocation
) -> (result: Operand, reference: Operand, bound: Operand) {
    var generator = Xoshiro256(seed: seed)
    let (rowsA, columnsA) = t.transA == .noTranspose ? (t.m, t.k) : (t.k, t.m)
    let (rowsB, columnsB) = t.transB == .noTranspose ? (t.k, t.n) : (t.n, t.k)
    var a = Operand(rows: rowsA, columns: columnsA, padding: t.padding, padValue: .nan, generator: &generator)
    var b = Operand(rows: rowsB, columns: columnsB, padding: t.padding, padValue: .nan, generator: &generator)
    var c = Operand(rows: t.m, columns: t.n, padding: t.padding, padValue: sentinel, generator: &generator)
    edit(&a, &b)
    if cIsNaN {
        for j in 0..<t.n { for i in 0..<t.m { c[i, j] = .nan } }
    }
    var reference = c
    var bound = c.magnitudes
    referenceSGEMM(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a.data, lda: a.ld,
        b: b.data, ldb: b.ld, beta: t.beta, c: &reference.data, ldc: reference.ld)
    let absA = a.magnitudes, absB = b.magnitudes
    referenceSGEMM(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: abs(t.alpha), a: absA.data,
        lda: a.ld, b: absB.data, ldb: b.ld, beta: abs(t.beta), c: &bound.data, ldc: bound.ld)
    sgemm(
        transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha, a: a.data, lda: a.ld,
        b: b.data, ldb: b.ld, beta: t.beta, c: &c.data, ldc: c.ld,
        options: GEMMOptions(threads: t.threads, microKernel: t.kernel, blocking: t.blocking, path: t.path, variant: t.isa))
    var outsideWrites = 0
    for j in 0..<max(t.n, 1) {
        for i in t.m..<c.ld where c.data.indices.contains(i + j * c.ld) {
            if c[i, j].bitPattern != sentinel.bitPattern { outsideWrites += 1 }
        }
    }
    #expect(outsideWrites == 0, "\(t.testDescription): \(outsideWrites) writes outside the C view", sourceLocation: sourceLocation)
    return (c, reference, bound)
}

/// The error bound used throughout: for each element,
///
///     |C − C_ref| ≤ c·(k + 2)·ε·(|α|·(|A|·|B|) + |β|·|C₀|),   c = 1, ε = 2⁻²³,
///
/// the classical bound γₖ|A||B| for a length-k dot product (k roundings at
/// unit roundoff u = ε/2), plus one rounding for α (folded into packing) and
/// one for the β update; using ε rather than u leaves a factor 2 of slack for
/// the reference's own final rounding to Float. Non-finite reference values
/// must be matched exactly (NaN by NaN, ±∞ by the same infinity).
func expectWithinBound(
    _ t: GEMMCase, _ run: (result: Operand, reference: Operand, bound: Operand),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var failures: [String] = []
    let tolerance = Float(t.k + 2) * Float.ulpOfOne
    for j in 0..<t.n {
        for i in 0..<t.m {
            let value = run.result[i, j], expected = run.reference[i, j]
            let ok: Bool
            if expected.isNaN {
                ok = value.isNaN
            } else if expected.isInfinite {
                ok = value == expected
            } else {
                ok = abs(value - expected) <= tolerance * run.bound[i, j] + Float.leastNormalMagnitude
            }
            if !ok && failures.count < 3 { failures.append("C[\(i), \(j)] = \(value), reference \(expected)") }
        }
    }
    #expect(failures.isEmpty, "\(t.testDescription): \(failures.joined(separator: "; "))", sourceLocation: sourceLocation)
}

/// Every micro-kernel the active variant contains.
let availableKernels = GEMMMicroKernel.allCases.filter(\.isAvailable)

/// One way this binary can run a GEMM on this CPU: an instruction-set
/// variant, one of its micro-kernels, a path.
struct Variant: CustomTestStringConvertible, Sendable {
    var isa: KernelVariant
    var kernel: GEMMMicroKernel
    var path: GEMMPath
    var testDescription: String { "\(isa) \(kernel) \(path)" }
}

/// Every (variant, micro-kernel, path) this binary can run here: each
/// variant is checked against the reference on its own.
let allVariants = KernelVariant.supported.flatMap { isa in
    GEMMMicroKernel.allCases.filter { $0.isAvailable(in: isa) }.flatMap { kernel in
        GEMMPath.allCases.map { Variant(isa: isa, kernel: kernel, path: $0) }
    }
}

let allTransposes: [(Transpose, Transpose)] = [
    (.noTranspose, .noTranspose), (.noTranspose, .transpose), (.transpose, .noTranspose), (.transpose, .transpose),
]
