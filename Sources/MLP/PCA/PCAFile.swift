import Kernels

/// A fitted PCA with what is needed to apply it to new data: the
/// standardization it was fitted after and the layout of the data file. Saved
/// with the model file's machinery: little-endian, an FNV-1a checksum, written
/// to a temporary file and renamed.
///
/// Layout, version 1: `SPCA`, version (u32), features D (u32), components M
/// (u32), samples N (u64), whitening (u8), route (string), mean (D floats),
/// components (D·M floats, column-major), explained variance (M floats),
/// total variance (float), normalization and data layout as in model files,
/// checksum (u64).
public struct PCAFile: Sendable, Equatable {
    /// The version this build writes.
    public static let version: UInt32 = 1
    /// The versions this build reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...1

    /// The fitted PCA.
    public var pca: PCA
    /// The standardization applied before the PCA, if any.
    public var normalization: Normalization?
    /// The label column and feature count of the data it was fitted on.
    public var dataLayout: ModelFile.DataLayout?

    /// Wraps a fitted PCA.
    ///
    /// - Parameters:
    ///   - pca: the fitted PCA.
    ///   - normalization: the standardization applied before the PCA, if any.
    ///   - dataLayout: how the data was laid out, if known.
    public init(pca: PCA, normalization: Normalization? = nil, dataLayout: ModelFile.DataLayout? = nil) {
        self.pca = pca
        self.normalization = normalization
        self.dataLayout = dataLayout
    }

    /// Saves atomically.
    ///
    /// - Parameter path: the file to create or replace.
    /// - Throws: ``ArgumentError`` when the normalization or the data layout
    ///   is not for the PCA's feature count (nothing is written), or
    ///   ``ModelFileError/io(path:detail:)``.
    public func write(to path: String) throws {
        try ModelFile.checkFeatureCount(normalization, dataLayout, pca.featureCount, "PCAFile.write", of: "the PCA has")
        var out = ByteWriter()
        out.bytes(Array("SPCA".utf8))
        out.uint32(Self.version)
        out.uint32(UInt32(pca.featureCount))
        out.uint32(UInt32(pca.componentCount))
        out.uint64(UInt64(pca.sampleCount))
        out.uint8(pca.whitens ? 1 : 0)
        out.string(pca.route.rawValue)
        out.floats(pca.mean)
        out.floats(pca.components.elements)
        out.floats(pca.explainedVariance)
        out.floats([pca.totalVariance])
        out.normalization(normalization)
        out.dataLayout(dataLayout)
        out.uint64(fnv1a(out.data))
        try AtomicFile.write(out.data, to: path)
    }

    /// Reads and checks a PCA file.
    ///
    /// - Parameter path: the file to read.
    /// - Throws: ``ModelFileError``: not a PCA file, wrong version, truncated,
    ///   corrupted (checksum, sizes, non-finite values), or an I/O error.
    public static func read(from path: String) throws -> PCAFile {
        try read(bytes: AtomicFile.read(path), path: path)
    }

    /// Reads a PCA file's bytes; `path` names them in errors.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the name the errors give the bytes.
    public static func read(bytes data: [UInt8], path: String) throws -> PCAFile {
        guard data.count >= 8, Array(data[0..<4]) == Array("SPCA".utf8) else { throw ModelFileError.notAPCA(path: path) }
        var input = ByteReader(data: data, path: path)
        input.offset = 4
        let version = try input.uint32()
        guard readableVersions.contains(version) else {
            throw ModelFileError.wrongVersion(path: path, found: Int(version), expected: Int(Self.version))
        }
        let d = try input.count(limit: 1 << 26), m = try input.count(limit: 1 << 26)
        guard d >= 1, (1...d).contains(m) else { throw ModelFileError.corrupted(path: path, detail: "\(m) components of \(d) features") }
        guard let n = Int(exactly: try input.uint64()), n >= 2 else { throw ModelFileError.corrupted(path: path, detail: "implausible sample count") }
        let whitens = try input.uint8() != 0
        let routeName = try input.string()
        guard let route = PCA.Route(rawValue: routeName) else { throw ModelFileError.corrupted(path: path, detail: "unknown route '\(routeName)'") }
        let mean = try input.floats(d)
        let (count, overflow) = d.multipliedReportingOverflow(by: m)
        guard !overflow else { throw ModelFileError.corrupted(path: path, detail: "\(d) × \(m) components") }
        let components = try input.floats(count)
        let variance = try input.floats(m)
        let total = try input.floats(1)[0]
        let normalization = try input.normalization()
        let layout = try input.dataLayout()
        try input.checkEnd()
        guard (mean + components + variance + [total]).allSatisfy(\.isFinite) else {
            throw ModelFileError.corrupted(path: path, detail: "a non-finite value")
        }
        if let normalization, normalization.mean.count != d {
            throw ModelFileError.corrupted(path: path, detail: "normalization of \(normalization.mean.count) features for \(d)")
        }
        if let layout, layout.featureCount != d {
            throw ModelFileError.corrupted(path: path, detail: "the data layout has \(layout.featureCount) features, the PCA \(d)")
        }
        let pca: PCA
        do {
            pca = try PCA(
                mean: mean, components: Matrix(rows: d, columns: m, columnMajor: components), explainedVariance: variance,
                totalVariance: total, sampleCount: n, whitens: whitens, route: route)
        } catch {
            throw ModelFileError.corrupted(path: path, detail: error.problem)
        }
        return PCAFile(pca: pca, normalization: normalization, dataLayout: layout)
    }
}
