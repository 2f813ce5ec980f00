import Kernels
import MLP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The IDX format of MNIST: big-endian header `0 0 type dims`, one UInt32 per
/// dimension, then the data (type 0x08: unsigned bytes). Images files have
/// three dimensions (count × rows × columns), label files one.
public enum IDXReader {
    /// Whether the file starts like an IDX file (two zero bytes, type 0x08).
    ///
    /// - Parameter path: a file's path.
    public static func looksLikeIDX(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var magic = [UInt8](repeating: 0xFF, count: 3)
        return fread(&magic, 1, 3, file) == 3 && magic == [0, 0, 0x08]
    }

    /// Reads an images file and its labels file: one row per image (pixels
    /// 0…255, row by row), the label bytes as label texts.
    ///
    /// - Parameters:
    ///   - images: the images file's path.
    ///   - labels: the labels file's path.
    /// - Throws: ``DataError`` naming the file and what is wrong with it.
    public static func read(images: String, labels: String) throws -> LabelledTable {
        try read(imageBytes: readFile(images), labelBytes: readFile(labels), images: images, labels: labels)
    }

    /// Reads an images file's and a labels file's bytes; `images` and
    /// `labels` name them in errors.
    ///
    /// - Parameters:
    ///   - imageBytes: the images file's bytes.
    ///   - labelBytes: the labels file's bytes.
    ///   - images: the name errors give the images.
    ///   - labels: the name errors give the labels.
    public static func read(imageBytes: [UInt8], labelBytes: [UInt8], images: String, labels: String) throws -> LabelledTable {
        let (imageDims, pixels) = try parse(imageBytes, name: images)
        guard imageDims.count == 3 else {
            throw DataError(file: images, message: "corrupt IDX header: \(imageDims.count) dimensions, an images file has 3")
        }
        let (labelDims, labelBytes) = try parse(labelBytes, name: labels)
        guard labelDims.count == 1 else {
            throw DataError(file: labels, message: "corrupt IDX header: \(labelDims.count) dimensions, a labels file has 1")
        }
        guard labelDims[0] == imageDims[0] else {
            throw DataError(file: labels, message: "\(labelDims[0]) labels for \(imageDims[0]) images in \(images)")
        }
        let count = imageDims[0], size = imageDims[1] * imageDims[2]
        guard size > 0 else {
            throw DataError(file: images, message: "corrupt IDX header: images of \(imageDims[1]) × \(imageDims[2]) pixels")
        }
        guard count > 0 else { throw DataError(file: images, message: "no images") }
        var features = Matrix(rows: count, columns: size)
        features.withUnsafeMutableBufferPointer { f in
            for i in 0..<count {
                for j in 0..<size { f[i + j * count] = Float(pixels[i * size + j]) }
            }
        }
        return LabelledTable(name: images, features: features, labels: labelBytes.map { String($0) }, lines: (0..<count).map { $0 + 1 })
    }

    /// The bytes of the file at `path` (``AtomicFile/read(_:)``), its
    /// failure as a ``DataError``.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try AtomicFile.read(path)
        } catch ModelFileError.io(_, let detail) {
            throw DataError(file: path, message: "cannot open: \(detail)")
        }
    }

    /// The dimensions and data bytes of an IDX file of unsigned bytes.
    static func parse(_ data: [UInt8], name path: String) throws -> ([Int], [UInt8]) {
        guard data.count >= 4 else { throw DataError(file: path, message: "corrupt IDX header: file has \(data.count) bytes") }
        guard data[0] == 0, data[1] == 0 else { throw DataError(file: path, message: "corrupt IDX header: bytes 0-1 must be zero") }
        guard data[2] == 0x08 else {
            throw DataError(file: path, message: "corrupt IDX header: data type 0x\(String(data[2], radix: 16)), only 0x08 (unsigned byte) is supported")
        }
        let count = Int(data[3])
        guard (1...4).contains(count), data.count >= 4 + 4 * count else {
            throw DataError(file: path, message: "corrupt IDX header: \(count) dimensions")
        }
        let dims = (0..<count).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(data[4 + 4 * d + $1]) }
        }
        let body = data.count - 4 - 4 * count
        // The product of the dimensions, checked for overflow against the
        // bytes present (with no zero dimension, every partial product is at
        // most the whole).
        var expected = dims.contains(0) ? 0 : 1
        for d in dims where expected > 0 {
            let (product, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow, product <= body else {
                throw DataError(
                    file: path, message: "corrupt IDX file: header promises \(dims.map(String.init).joined(separator: " × ")) bytes of data, found \(body)")
            }
            expected = product
        }
        guard body == expected else {
            throw DataError(file: path, message: "corrupt IDX file: header promises \(expected) bytes of data, found \(body)")
        }
        return (dims, Array(data[(4 + 4 * count)...]))
    }
}
