import Kernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A saved model: the network, the input normalization, user metadata and,
/// optionally, the training state to resume from exactly.
///
/// The binary format (all integers and floats little-endian, Docs/Training.md):
///
///     "SMLP"  UInt32 version
///     UInt32 layers; per layer: UInt32 inputs, UInt32 outputs, string units, UInt8 has-bias
///     UInt8 has-normalization [UInt32 n, n × Float mean, n × Float scale]
///     UInt32 metadata pairs; per pair: string key, string value
///     UInt8 has-data-layout [UInt8 has-label-column [string label column], UInt32 features,
///                            UInt8 has-classes [UInt32 n, n × string class]]      (version 2)
///     UInt8 has-training-state [string loss, string optimizer, UInt64 step, Float rate scale,
///                               4 × UInt64 generator, UInt32 tensors, per tensor: UInt32 n, n × Float]
///     per layer: weights (inputs × columns, column-major), bias (columns) if any
///     UInt64 FNV-1a checksum of every byte before it
///
/// Strings are a UInt32 byte count followed by UTF-8.
///
/// Versions: 1 (no data layout; class names, if any, in the metadata under
/// `classes`, comma-separated) and 2 (the data layout). This build reads both
/// and writes version 2; `Tests/MLPTests/Fixtures` holds a file of each.
public struct ModelFile: Sendable {
    /// The format version this build writes.
    public static let version: UInt32 = 2
    /// The versions this build reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...2

    /// The network.
    public var network: Network
    /// Statistics to standardize inputs with before `network` sees them.
    public var normalization: Normalization?
    /// Free-form key/value pairs (e.g. the command that trained the model).
    public var metadata: [String: String]
    /// What a trainer needs to continue exactly where it stopped.
    public var training: TrainingState?
    /// How the training data was laid out, so other data is read the same way.
    public var dataLayout: DataLayout?
    /// The version the file was read from (``version`` for a new one).
    public private(set) var formatVersion: UInt32 = ModelFile.version

    /// The data a model was trained on, as far as reading more of it needs.
    public struct DataLayout: Sendable, Equatable {
        /// The label column as given when training (`first`, `last`, a
        /// 1-based number or a header name); `nil` when unknown (version 1).
        public var labelColumn: String?
        /// Features per row: the network's inputs.
        public var featureCount: Int
        /// The class names in output order; `nil` for regression.
        public var classes: [String]?

        /// A layout.
        ///
        /// - Parameters:
        ///   - labelColumn: the label column as given when training, or `nil` when unknown.
        ///   - featureCount: the features per row.
        ///   - classes: the class names in output order, or `nil` for regression.
        public init(labelColumn: String?, featureCount: Int, classes: [String]?) {
            self.labelColumn = labelColumn
            self.featureCount = featureCount
            self.classes = classes
        }
    }

    /// The optimizer and data-order state of a trainer.
    public struct TrainingState: Sendable, Equatable {
        /// The loss, by name (`Loss` case name).
        public var loss: String
        /// The optimizer and its hyperparameters, e.g. `adam 0.001 0.9 0.999 1e-08`.
        public var optimizer: String
        /// Updates applied so far.
        public var step: Int
        /// The learning-rate multiplier left by roll-backs and plateaus.
        public var learningRateScale: Float
        /// The shuffling/dropout generator's state.
        public var generator: [UInt64]
        /// Optimizer moments, in the trainer's tensor order.
        public var tensors: [[Float]]
    }

    /// A model file for `network`.
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - normalization: the input standardization the network expects, if any.
    ///   - metadata: free-form key/value pairs.
    ///   - training: the trainer's state, to resume training exactly, if any.
    ///   - dataLayout: how the training data was laid out, if known.
    public init(
        network: Network, normalization: Normalization? = nil, metadata: [String: String] = [:], training: TrainingState? = nil,
        dataLayout: DataLayout? = nil
    ) {
        self.network = network
        self.normalization = normalization
        self.metadata = metadata
        self.training = training
        self.dataLayout = dataLayout
    }

    /// Throws unless `normalization` and `dataLayout` (when given) are for
    /// `count` features: what a writer checks before writing a file its
    /// reader would refuse.
    static func checkFeatureCount(
        _ normalization: Normalization?, _ dataLayout: DataLayout?, _ count: Int, _ function: String, of model: String
    ) throws(ArgumentError) {
        if let normalization {
            try check(
                normalization.mean.count == count, function,
                "normalization has \(normalization.mean.count) features but \(model) \(count)")
        }
        if let dataLayout {
            try check(
                dataLayout.featureCount == count, function, "dataLayout has \(dataLayout.featureCount) features but \(model) \(count)")
        }
    }

    // MARK: Writing

    /// Writes the file atomically: to a temporary file beside `path`, then
    /// renamed over it, so a crash never leaves a half-written model.
    ///
    /// - Parameter path: the file to create or replace.
    /// - Throws: ``ModelFileError/nonFinite(path:detail:)`` when a parameter is
    ///   NaN or infinite, ``ArgumentError`` when the normalization or the data
    ///   layout does not have the network's input count (nothing is written in
    ///   either case), or an I/O error.
    public func write(to path: String) throws {
        try Self.checkFeatureCount(normalization, dataLayout, network.inputs, "ModelFile.write", of: "the network takes")
        for (l, layer) in network.layers.enumerated() {
            if let bad = (layer.weights.elements + (layer.bias?.elements ?? [])).first(where: { !$0.isFinite }) {
                throw ModelFileError.nonFinite(path: path, detail: "layer \(l) holds \(bad)")
            }
        }
        var out = ByteWriter()
        out.bytes(Array("SMLP".utf8))
        out.uint32(Self.version)
        out.uint32(UInt32(network.layers.count))
        for layer in network.layers {
            out.uint32(UInt32(layer.inputs))
            out.uint32(UInt32(layer.outputs))
            out.string(layer.units.description)
            out.uint8(layer.bias == nil ? 0 : 1)
        }
        out.normalization(normalization)
        out.uint32(UInt32(metadata.count))
        for key in metadata.keys.sorted() {
            out.string(key)
            out.string(metadata[key]!)
        }
        out.dataLayout(dataLayout)
        out.uint8(training == nil ? 0 : 1)
        if let training {
            out.string(training.loss)
            out.string(training.optimizer)
            out.uint64(UInt64(training.step))
            out.floats([training.learningRateScale])
            for word in training.generator { out.uint64(word) }
            out.uint32(UInt32(training.tensors.count))
            for tensor in training.tensors {
                out.uint32(UInt32(tensor.count))
                out.floats(tensor)
            }
        }
        for layer in network.layers {
            out.floats(layer.weights.elements)
            if let bias = layer.bias { out.floats(bias.elements) }
        }
        out.uint64(fnv1a(out.data))
        try AtomicFile.write(out.data, to: path)
    }

    // MARK: Reading

    /// Reads and checks a model file.
    ///
    /// - Parameter path: the file to read.
    /// - Throws: ``ModelFileError`` saying which problem: not a model file,
    ///   wrong version, truncated, corrupted (checksum or structure), or an I/O error.
    public static func read(from path: String) throws -> ModelFile {
        try read(bytes: AtomicFile.read(path), path: path)
    }

    /// Reads a model file's bytes; `path` names them in errors.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the name the errors give the bytes.
    /// - Throws: ``ModelFileError`` as ``read(from:)``.
    public static func read(bytes data: [UInt8], path: String) throws -> ModelFile {
        var input = ByteReader(data: data, path: path)
        guard data.count >= 8, Array(data[0..<4]) == Array("SMLP".utf8) else {
            throw ModelFileError.notAModel(path: path)
        }
        input.offset = 4
        let version = try input.uint32()
        guard Self.readableVersions.contains(version) else {
            throw ModelFileError.wrongVersion(path: path, found: Int(version), expected: Int(Self.version))
        }
        guard data.count >= 16 else { throw ModelFileError.truncated(path: path) }
        let layerCount = try input.count(limit: 10_000)
        var shapes: [(inputs: Int, outputs: Int, units: Units, hasBias: Bool)] = []
        for index in 0..<layerCount {
            let inputs = try input.count(limit: 1 << 26), outputs = try input.count(limit: 1 << 26)
            guard inputs >= 1, outputs >= 1 else {
                throw ModelFileError.corrupted(path: path, detail: "layer \(index) has \(inputs) inputs and \(outputs) outputs")
            }
            let name = try input.string()
            guard let units = Units(name) else { throw ModelFileError.corrupted(path: path, detail: "layer \(index) has unknown units '\(name)'") }
            shapes.append((inputs, outputs, units, try input.uint8() != 0))
        }
        let normalization = try input.normalization()
        var metadata: [String: String] = [:]
        for _ in 0..<(try input.count(limit: 1 << 20)) { metadata[try input.string()] = try input.string() }
        var dataLayout = version >= 2 ? try input.dataLayout() : nil
        var training: TrainingState?
        if try input.uint8() != 0 {
            let loss = try input.string(), optimizer = try input.string()
            guard let step = Int(exactly: try input.uint64()) else {
                throw ModelFileError.corrupted(path: path, detail: "training step beyond \(Int.max)")
            }
            let scale = try input.floats(1)[0]
            let generator = try (0..<4).map { _ in try input.uint64() }
            let tensors = try (0..<(try input.count(limit: 1 << 16))).map { _ in try input.floats(try input.count(limit: 1 << 30)) }
            training = TrainingState(loss: loss, optimizer: optimizer, step: step, learningRateScale: scale, generator: generator, tensors: tensors)
        }
        var layers: [DenseLayer] = []
        for (index, shape) in shapes.enumerated() {
            let (columns, o1) = shape.outputs.multipliedReportingOverflow(by: shape.units.piecesPerUnit)
            let (count, o2) = shape.inputs.multipliedReportingOverflow(by: columns)
            guard !o1, !o2 else {
                throw ModelFileError.corrupted(path: path, detail: "layer \(index) promises \(shape.inputs) × \(shape.outputs) \(shape.units) weights")
            }
            let weights = Matrix(rows: shape.inputs, columns: columns, columnMajor: try input.floats(count))
            let bias = shape.hasBias ? Matrix(rows: 1, columns: columns, columnMajor: try input.floats(columns)) : nil
            layers.append(DenseLayer(checkedWeights: weights, bias: bias, units: shape.units))
        }
        try input.checkEnd()
        for (index, (previous, next)) in zip(layers, layers.dropFirst()).enumerated() where previous.outputs != next.inputs {
            throw ModelFileError.corrupted(path: path, detail: "layer \(index) has \(previous.outputs) outputs, layer \(index + 1) \(next.inputs) inputs")
        }
        guard !layers.isEmpty else { throw ModelFileError.corrupted(path: path, detail: "no layers") }
        if version == 1, let names = metadata.removeValue(forKey: "classes") {
            dataLayout = DataLayout(labelColumn: nil, featureCount: layers[0].inputs, classes: names.split(separator: ",").map(String.init))
        }
        if let normalization, normalization.mean.count != layers[0].inputs {
            throw ModelFileError.corrupted(
                path: path, detail: "the normalization has \(normalization.mean.count) features, the network \(layers[0].inputs) inputs")
        }
        if let dataLayout, dataLayout.featureCount != layers[0].inputs {
            throw ModelFileError.corrupted(
                path: path, detail: "the data layout has \(dataLayout.featureCount) features, the network \(layers[0].inputs) inputs")
        }
        let network: Network
        do { network = try Network(layers: layers) } catch { throw ModelFileError.corrupted(path: path, detail: error.problem) }
        var file = ModelFile(
            network: network, normalization: normalization, metadata: metadata, training: training, dataLayout: dataLayout)
        file.formatVersion = version
        return file
    }

    /// Reads a model file and checks that its network has the architecture
    /// of `expected` (inputs, outputs and units of every layer).
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - expected: a network of the architecture the file must hold.
    /// - Throws: ``ModelFileError/wrongArchitecture(path:detail:)`` on a mismatch.
    public static func read(from path: String, expecting expected: Network) throws -> ModelFile {
        let file = try read(from: path)
        let found = file.network.layers.map(\.shape), wanted = expected.layers.map(\.shape)
        guard found == wanted else {
            let describe = { (shapes: [LayerShape]) in
                ([String(shapes.first?.inputs ?? 0)] + shapes.map { "\($0.outputs) \($0.units)" }).joined(separator: " → ")
            }
            throw ModelFileError.wrongArchitecture(path: path, detail: "file has \(describe(found)), expected \(describe(wanted))")
        }
        return file
    }
}

/// Why a model file could not be read or written.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with a model file's header.
    case notAModel(path: String)
    /// The file does not start with a PCA file's header.
    case notAPCA(path: String)
    /// The file's format version is one this build does not read.
    case wrongVersion(path: String, found: Int, expected: Int)
    /// The file ends before its contents do.
    case truncated(path: String)
    /// The contents contradict themselves: checksum, sizes, names, values.
    case corrupted(path: String, detail: String)
    /// The tensors or units do not make a network this library can build.
    case wrongArchitecture(path: String, detail: String)
    /// A parameter to be saved is NaN or infinite.
    case nonFinite(path: String, detail: String)
    /// The operating system refused to open, read or write the file.
    case io(path: String, detail: String)
    /// The file would not fit in the machine's memory (``MemoryLimit``).
    case tooLarge(path: String, detail: String)

    /// A one-line message that names the file.
    public var description: String {
        switch self {
        case .notAModel(let path): return "\(path): not a model file (no SMLP header)"
        case .notAPCA(let path): return "\(path): not a PCA file (no SPCA header)"
        case .wrongVersion(let path, let found, let expected): return "\(path): model file version \(found), this build reads versions 1 to \(expected)"
        case .truncated(let path): return "\(path): model file is truncated"
        case .corrupted(let path, let detail): return "\(path): model file is corrupted: \(detail)"
        case .wrongArchitecture(let path, let detail): return "\(path): wrong architecture: \(detail)"
        case .nonFinite(let path, let detail): return "\(path): refusing to save a model with non-finite parameters: \(detail)"
        case .io(let path, let detail): return "\(path): \(detail)"
        case .tooLarge(let path, let detail): return "\(path): too large: \(detail)"
        }
    }
}
