import Foundation
import Kernels
import MLP
import Testing

@Suite("Model files")
struct ModelFileTests {
    /// A path in a directory of its own (tests run in parallel).
    static func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-tests-\(getpid())-\(name)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    static let data = try! TrainingTests.quadrants(samples: 300, seed: 11)

    @Test("save and load round-trips every layer kind exactly, with normalization and metadata; no temporary file is left")
    func roundTrip() throws {
        let network = try Network(
            inputs: 6, layers: [LayerSpec(8, .maxout(pieces: 3)), LayerSpec(5, .activation(.leakyReLU(slope: 0.2)), hasBias: false), LayerSpec(4, .softmax)],
            seed: 3)
        let normalization = Normalization(fitting: Self.data.inputs)
        let path = Self.temporaryPath("round-trip.mlp")
        try ModelFile(network: network, normalization: normalization, metadata: ["trained-by": "test", "ü": "✓"]).write(to: path)
        let loaded = try ModelFile.read(from: path)
        #expect(loaded.network == network && loaded.normalization == normalization)
        #expect(loaded.metadata == ["trained-by": "test", "ü": "✓"] && loaded.training == nil)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(!siblings.contains { $0.contains(".tmp-") })
    }

    @Test(
        "training resumes exactly: 2 epochs, save, load, 2 epochs equals 4 epochs",
        arguments: [
            Optimizer.adam(learningRate: 0.01), .deltaBarDelta(learningRate: 0.01, increment: 0.002, decrement: 0.2, smoothing: 0.6),
        ])
    func resume(_ optimizer: Optimizer) throws {
        let original = try Trainer(network: TrainingTests.classifier(), loss: .softmaxCrossEntropy, optimizer: optimizer, seed: 5)
        try original.fit(Self.data, options: TrainingOptions(epochs: 2, batchSize: 32))
        let path = Self.temporaryPath("resume-\(optimizer.name).mlp")
        try original.modelFile().write(to: path)
        try original.fit(Self.data, options: TrainingOptions(epochs: 2, batchSize: 32))

        let resumed = try Trainer(resuming: try ModelFile.read(from: path))
        try resumed.fit(Self.data, options: TrainingOptions(epochs: 2, batchSize: 32))
        #expect(resumed.network == original.network && resumed.step == original.step)
    }

    @Test("truncated, corrupted, wrong-version, wrong-architecture and foreign files are errors that say which")
    func badFiles() throws {
        let network = try TrainingTests.classifier()
        let path = Self.temporaryPath("good.mlp")
        try ModelFile(network: network).write(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        func write(_ data: Data, _ name: String) throws -> String {
            let p = Self.temporaryPath(name)
            try data.write(to: URL(fileURLWithPath: p))
            return p
        }
        let truncated = try write(bytes.prefix(bytes.count / 2), "truncated.mlp")
        #expect(throws: ModelFileError.truncated(path: truncated)) { try ModelFile.read(from: truncated) }
        var flipped = bytes
        flipped[bytes.count - 20] ^= 0x10
        let corrupted = try write(flipped, "corrupted.mlp")
        #expect(throws: ModelFileError.corrupted(path: corrupted, detail: "checksum mismatch")) { try ModelFile.read(from: corrupted) }
        var future = bytes
        future[4] = 9
        let version = try write(future, "version.mlp")
        #expect(throws: ModelFileError.wrongVersion(path: version, found: 9, expected: Int(ModelFile.version))) { try ModelFile.read(from: version) }
        let foreign = try write(Data("label,x\n1,2\n".utf8), "foreign.mlp")
        #expect(throws: ModelFileError.notAModel(path: foreign)) { try ModelFile.read(from: foreign) }
        #expect(throws: ModelFileError.self) { try ModelFile.read(from: Self.temporaryPath("missing.mlp")) }
        let other = try Network(inputs: 6, layers: [LayerSpec(4, .softmax)], seed: 1)
        #expect {
            try ModelFile.read(from: path, expecting: other)
        } throws: { error in
            "\(error)".contains("wrong architecture: file has 6 → 32 relu → 16 tanh → 4 softmax, expected 6 → 4 softmax")
        }
    }

    @Test("a model with a NaN parameter is never written")
    func refusesNaN() throws {
        var network = try TrainingTests.classifier()
        network.layers[1].weights[2, 3] = .nan
        let path = Self.temporaryPath("nan.mlp")
        #expect(throws: ModelFileError.self) { try ModelFile(network: network).write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("safetensors export and import round-trip; the header is PyTorch's layout")
    func safetensors() throws {
        let network = try Network(inputs: 6, layers: [LayerSpec(7, .activation(.gelu)), LayerSpec(3, .linear, hasBias: false)], seed: 2)
        let path = Self.temporaryPath("model.safetensors")
        try network.writeSafetensors(to: path)
        #expect(try Network(safetensorsAt: path) == network)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let size = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = String(decoding: bytes[8..<(8 + size)], as: UTF8.self)
        #expect(header.contains("\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[7,6]"))
        #expect(header.contains("\"layers.0.bias\"") && !header.contains("layers.1.bias"))
    }

    /// `Tests/MLPTests/Fixtures/<name>`.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    @Test("a version-1 model file (committed fixture) still loads: network, normalization, classes, training state")
    func versionOne() throws {
        let file = try ModelFile.read(from: Self.fixture("model-v1.mlp"))
        #expect(file.formatVersion == 1)
        #expect(file.network.layers.map(\.outputs) == [4, 3] && file.network.inputs == 3)
        #expect(file.normalization?.mean.count == 3 && file.training?.step == 10)
        #expect(file.dataLayout == ModelFile.DataLayout(labelColumn: nil, featureCount: 3, classes: ["setosa", "versicolor", "virginica"]))
        #expect(file.metadata["classes"] == nil && file.metadata["task"] == "classification")
        // Re-saved, it is a version-2 file with the same contents.
        let path = Self.temporaryPath("resaved.mlp")
        try file.write(to: path)
        let again = try ModelFile.read(from: path)
        #expect(again.formatVersion == ModelFile.version && again.network == file.network && again.dataLayout == file.dataLayout)
        #expect(again.normalization == file.normalization && again.training == file.training)
    }

    @Test("version 2 keeps the data layout: label column, feature count, class names with commas")
    func dataLayout() throws {
        let layout = ModelFile.DataLayout(labelColumn: "species", featureCount: 5, classes: ["a, b", "c"])
        let network = try Network(inputs: 5, layers: [LayerSpec(2, .softmax)], seed: 1)
        let path = Self.temporaryPath("layout.mlp")
        try ModelFile(network: network, dataLayout: layout).write(to: path)
        #expect(try ModelFile.read(from: path).dataLayout == layout)
    }

    /// A standardized classifier with class names, and inputs to compare on.
    static func standardizedModel() throws -> (file: ModelFile, x: Matrix) {
        let network = try Network(inputs: 4, layers: [LayerSpec(6, .activation(.tanh)), LayerSpec(3, .softmax)], seed: 5)
        let normalization = try Normalization(mean: [10, -3, 0.5, 200], scale: [0.5, 2, 4, 0.01])
        var x = Matrix(rows: 25, columns: 4)
        var generator = Xoshiro256(seed: 9)
        for i in 0..<25 {
            for j in 0..<4 { x[i, j] = normalization.mean[j] + Float.random(in: -2...2, using: &generator) / normalization.scale[j] }
        }
        let layout = ModelFile.DataLayout(labelColumn: "last", featureCount: 4, classes: ["setosa", "versi \"color\"", "virginica"])
        return (ModelFile(network: network, normalization: normalization, metadata: ["task": "classification"], dataLayout: layout), x)
    }

    @Test(
        "safetensors export folds the standardization into the first layer: raw inputs give the same probabilities within 1e-5; classes and label column survive"
    )
    func safetensorsFolded() throws {
        let (file, x) = try Self.standardizedModel()
        let path = Self.temporaryPath("folded.safetensors")
        try file.writeSafetensors(to: path)
        let imported = try ModelFile(safetensorsAt: path)
        #expect(imported.normalization == nil && imported.dataLayout == file.dataLayout)
        let original = try file.network.predict(try file.normalization!.apply(to: x)), folded = try imported.network.predict(x)
        let difference = zip(original.elements, folded.elements).map { abs($0 - $1) }.max()!
        #expect(difference <= 1e-5, "largest difference \(difference)")
        #expect(try file.network.predictClasses(file.normalization!.apply(to: x)) == imported.network.predictClasses(x))
        #expect(throws: Never.self) { try Network(safetensorsAt: path) }
    }

    @Test("safetensors export with the normalization kept as tensors: bitwise the same model after import")
    func safetensorsKept() throws {
        let (file, x) = try Self.standardizedModel()
        let path = Self.temporaryPath("kept.safetensors")
        try file.writeSafetensors(to: path, keepNormalization: true)
        let imported = try ModelFile(safetensorsAt: path)
        #expect(imported.normalization == file.normalization && imported.network == file.network && imported.dataLayout == file.dataLayout)
        #expect(try imported.network.predict(imported.normalization!.apply(to: x)) == file.network.predict(file.normalization!.apply(to: x)))
        #expect(throws: ModelFileError.self) { try Network(safetensorsAt: path) }
    }
}
