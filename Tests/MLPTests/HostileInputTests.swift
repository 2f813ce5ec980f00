import Foundation
import Kernels
import MLP
import Testing

/// Files the package did not write: every one is a clean, named error — never
/// a trap, an overflow or an allocation failure.
@Suite("Hostile model and safetensors files")
struct HostileInputTests {
    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = ModelFileTests.temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func smallModel() throws -> ModelFile {
        let network = try Network(inputs: 3, layers: [LayerSpec(2, .maxout(pieces: 2)), LayerSpec(2, .softmax)], seed: 4)
        return ModelFile(
            network: network, normalization: try Normalization(mean: [1, 2, 3], scale: [1, 1, 2]), metadata: ["k": "v"],
            dataLayout: ModelFile.DataLayout(labelColumn: "last", featureCount: 3, classes: ["a", "b"]))
    }

    @Test("a model file truncated at every byte offset, or with any one bit flipped, is a ModelFileError")
    func modelFileDamage() throws {
        let path = Self.temporaryPath("good.mlp")
        try Self.smallModel().write(to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let damaged = ModelFileTests.temporaryPath("damaged.mlp")
        var failures = 0
        for length in 0..<bytes.count {
            try Data(bytes[..<length]).write(to: URL(fileURLWithPath: damaged))
            do { _ = try ModelFile.read(from: damaged) } catch is ModelFileError { failures += 1 }
        }
        for bit in 0..<(bytes.count * 8) {
            var flipped = bytes
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            try Data(flipped).write(to: URL(fileURLWithPath: damaged))
            do { _ = try ModelFile.read(from: damaged) } catch is ModelFileError { failures += 1 }
        }
        #expect(failures == bytes.count * 9, "\(bytes.count * 9 - failures) damaged files loaded")
    }

    static func temporaryPath(_ name: String) -> String { ModelFileTests.temporaryPath(name) }

    @Test("a safetensors file truncated at every offset is an error; any one bit flipped loads or is an error, never a trap")
    func safetensorsDamage() throws {
        let path = Self.temporaryPath("good.safetensors")
        try Self.smallModel().writeSafetensors(to: path, keepNormalization: true)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let damaged = Self.temporaryPath("damaged.safetensors")
        for length in 0..<bytes.count {
            try Data(bytes[..<length]).write(to: URL(fileURLWithPath: damaged))
            #expect(throws: ModelFileError.self, "truncated to \(length) bytes") { try ModelFile(safetensorsAt: damaged) }
        }
        var loaded = 0
        for bit in 0..<(bytes.count * 8) {
            var flipped = bytes
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            try Data(flipped).write(to: URL(fileURLWithPath: damaged))
            if (try? ModelFile(safetensorsAt: damaged)) != nil { loaded += 1 }
        }
        #expect(loaded > 0 && loaded < bytes.count * 8)
    }

    /// A safetensors file with this header text and `body` bytes of data.
    static func safetensors(header: String, body: Int = 0, size: UInt64? = nil) throws -> String {
        var bytes = withUnsafeBytes(of: (size ?? UInt64(header.utf8.count)).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: body)
        return try write(bytes, "crafted-\(abs(header.hashValue))-\(size ?? 0).safetensors")
    }

    @Test(
        "crafted safetensors headers: absurd sizes, shapes and offsets, and deep nesting are named errors",
        arguments: [
            ("{}", UInt64.max, "bad safetensors header size"),
            ("{}", UInt64(Int.max), "bad safetensors header size"),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[1e300,2],"data_offsets":[0,8]},"__metadata__":{"units":"softmax"}}"#, nil, "shape"),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[-2,1],"data_offsets":[0,8]},"__metadata__":{"units":"softmax"}}"#, nil, "shape"),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[nan,1],"data_offsets":[0,8]},"__metadata__":{"units":"softmax"}}"#, nil, "unexpected 'nan'"),
            (
                #"{"layers.0.weight":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,8]},"__metadata__":{"units":"softmax"}}"#, nil,
                "shape"
            ),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[1e30,8]},"__metadata__":{"units":"softmax"}}"#, nil, "data_offsets"),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[8,0]},"__metadata__":{"units":"softmax"}}"#, nil, "data_offsets"),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[0,0],"data_offsets":[0,0]},"__metadata__":{"units":"softmax"}}"#, nil, "shape"),
            (
                #"{"layers.0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"__metadata__":{"units":"maxout(4611686018427387904)"}}"#, nil,
                "unknown units"
            ),
            (#"{"layers.0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"__metadata__":{"units":"leaky-relu(nan)"}}"#, nil, "unknown units"),
        ] as [(String, UInt64?, String)])
    func craftedHeaders(_ header: String, _ size: UInt64?, _ expected: String) throws {
        let path = try Self.safetensors(header: header, body: 8, size: size)
        do {
            _ = try ModelFile(safetensorsAt: path)
            Issue.record("loaded: \(header)")
        } catch let error as ModelFileError {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("a JSON header nested a million levels deep is an error, not a stack overflow")
    func deepNesting() throws {
        let path = try Self.safetensors(header: String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000))
        #expect(throws: ModelFileError.corrupted(path: path, detail: "safetensors header: nested deeper than 64 levels at character 64")) {
            try ModelFile(safetensorsAt: path)
        }
    }

    @Test("a file whose bytes and decoded copy would not fit in memory is refused with the size it would need, before it is read")
    func tooLarge() throws {
        let size = MemoryLimit.physicalBytes
        guard size > 0 else { return }
        let path = ModelFileTests.temporaryPath("larger-than-memory.mlp")
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        #expect(descriptor >= 0 && ftruncate(descriptor, off_t(size)) == 0)  // sparse: no disk used
        close(descriptor)
        defer { unlink(path) }
        let exceeded = MemoryLimit.Exceeded(what: "reading it (\(size) bytes, and a decoded copy)", bytes: 2 * size, available: size)
        #expect(
            MemoryLimit.Exceeded(what: "x", bytes: 4_400_000_000_000, available: 24 << 30).description
                == "x would need 4.0 TiB; this machine has 24.0 GiB of memory")
        #expect(
            MemoryLimit.Exceeded(what: "x", bytes: nil, available: 1000).description
                == "x would need more bytes than a 64-bit size can count; this machine has 1000 B of memory")
        #expect(throws: ModelFileError.tooLarge(path: path, detail: exceeded.description)) { try ModelFile.read(from: path) }
        #expect(throws: ModelFileError.tooLarge(path: path, detail: exceeded.description)) { try ModelFile(safetensorsAt: path) }
        #expect(throws: (any Error).self) { try MemoryLimit.check(nil, for: "a count that overflowed") }
        #expect(throws: Never.self) { try MemoryLimit.check(size, for: "all of it") }
    }

    @Test("units from a file: non-finite slopes and absurd piece counts are not units")
    func units() {
        #expect(Units("leaky-relu(nan)") == nil && Units("leaky-relu(inf)") == nil)
        #expect(Units("maxout(4611686018427387904)") == nil && Units("maxout(0)") == nil && Units("maxout(1024)") == .maxout(pieces: 1024))
    }

    @Test(
        "every input a fuzzer found crashing (Tests/Fuzz/Corpus, files named crash-…) is now a named error",
        arguments: [
            ("model-file/crash-step-overflow.mlp", "model file is corrupted: training step beyond 9223372036854775807")
        ])
    func fuzzerFindings(_ name: String, _ message: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/\(name)").path
        do {
            _ = try ModelFile.read(from: path)
            Issue.record("\(name) loaded")
        } catch let error as ModelFileError {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
