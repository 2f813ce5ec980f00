import Foundation
import MLPData
import Testing

/// The IDX reader on good files and on every kind of damaged one.
@Suite("IDX reader")
struct IDXReaderTests {
    static func path(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idx-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// An images file of `dims` and `body` bytes of pixels.
    static func images(_ dims: [UInt32], body: Int) -> [UInt8] {
        [0, 0, 8, UInt8(dims.count)] + dims.flatMap { d in (0..<4).map { UInt8(truncatingIfNeeded: d >> (24 - 8 * $0)) } } + [UInt8](repeating: 7, count: body)
    }

    @Test("a good pair reads: one row per image, pixels as features, label bytes as labels")
    func good() throws {
        let images = try Self.write(Self.images([3, 2, 2], body: 12), "good-images")
        let labels = try Self.write([0, 0, 8, 1, 0, 0, 0, 3, 1, 0, 1], "good-labels")
        let table = try IDXReader.read(images: images, labels: labels)
        #expect(table.count == 3 && table.features.columns == 4 && table.labels == ["1", "0", "1"] && table.features[2, 3] == 7)
    }

    @Test(
        "dimensions whose product overflows, zero-pixel images and truncation at every offset are named errors",
        arguments: [
            (
                [UInt32(1 << 31), UInt32(1 << 31), UInt32(1 << 31)], 16,
                "corrupt IDX file: header promises 2147483648 × 2147483648 × 2147483648 bytes of data, found 16"
            ),
            ([UInt32.max, UInt32.max, UInt32.max], 16, "corrupt IDX file: header promises 4294967295 × 4294967295 × 4294967295 bytes of data, found 16"),
            ([10, 0, 8], 0, "corrupt IDX header: images of 0 × 8 pixels"),
        ] as [([UInt32], Int, String)])
    func absurdDimensions(_ dims: [UInt32], _ body: Int, _ message: String) throws {
        let images = try Self.write(Self.images(dims, body: body), "absurd-\(dims.map(String.init).joined(separator: "x"))")
        let labels = try Self.write([0, 0, 8, 1, 0, 0, 0, 10] + [UInt8](repeating: 1, count: 10), "absurd-labels")
        #expect(throws: DataError(file: images, message: message)) { try IDXReader.read(images: images, labels: labels) }
    }

    @Test("every truncation of an images file and of a labels file is an error")
    func truncation() throws {
        let imageBytes = Self.images([3, 2, 2], body: 12), labelBytes: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 3, 1, 0, 1]
        let images = try Self.write(imageBytes, "t-images"), labels = try Self.write(labelBytes, "t-labels")
        for length in 0..<imageBytes.count {
            let cut = try Self.write(Array(imageBytes[..<length]), "cut-images")
            #expect(throws: DataError.self, "images cut to \(length)") { try IDXReader.read(images: cut, labels: labels) }
        }
        for length in 0..<labelBytes.count {
            let cut = try Self.write(Array(labelBytes[..<length]), "cut-labels")
            #expect(throws: DataError.self, "labels cut to \(length)") { try IDXReader.read(images: images, labels: cut) }
        }
    }
}
