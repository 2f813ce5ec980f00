import Kernels

/// Models in the safetensors format, so PyTorch users can load them: F32
/// tensors `layers.<l>.weight` of shape (columns, inputs) — PyTorch's
/// `nn.Linear.weight` layout, the same bytes as this library's column-major
/// (inputs × columns) W — and `layers.<l>.bias` of shape (columns).
///
/// `__metadata__` holds strings: `format` (`pt`), `units` (each layer's,
/// comma-separated), `normalization` (`folded`, `tensors` or `none`) and, when
/// the model file has them, `classes` (a JSON array of the class names in
/// output order), `label_column` and `features`.
///
/// Input standardization is folded into the first layer by default, so the
/// tensors alone compute the model on raw inputs: with x′ = (x − μ)·s,
/// W′ = diag(s)·W and b′ = b − (μ∘s)·W. Kept instead, it is stored as
/// `normalization.mean` and `normalization.scale`, each of shape (features).
extension ModelFile {
    /// Writes the model as safetensors, atomically.
    ///
    /// - Parameters:
    ///   - path: the file to write.
    ///   - keepNormalization: store the standardization as tensors instead of
    ///     folding it into the first layer (bitwise the same predictions
    ///     after import; a PyTorch user must then standardize).
    public func writeSafetensors(to path: String, keepNormalization: Bool = false) throws {
        var layers = network.layers
        if let normalization, !keepNormalization { layers[0] = Self.fold(normalization, into: layers[0]) }
        var entries: [(name: String, shape: [Int], values: [Float])] = []
        for (l, layer) in layers.enumerated() {
            entries.append(("layers.\(l).weight", [layer.weights.columns, layer.inputs], layer.weights.elements))
            if let bias = layer.bias { entries.append(("layers.\(l).bias", [bias.columns], bias.elements)) }
        }
        if let normalization, keepNormalization {
            entries.append(("normalization.mean", [normalization.mean.count], normalization.mean))
            entries.append(("normalization.scale", [normalization.scale.count], normalization.scale))
        }
        var header: [String] = []
        var offset = 0
        for entry in entries {
            let end = offset + 4 * entry.values.count
            header.append(
                "\"\(entry.name)\":{\"dtype\":\"F32\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var metadata = [
            ("format", "pt"), ("units", layers.map(\.units.description).joined(separator: ",")),
            ("normalization", normalization == nil ? "none" : keepNormalization ? "tensors" : "folded"),
        ]
        if let classes = dataLayout?.classes { metadata.append(("classes", JSONText.array(classes))) }
        if let column = dataLayout?.labelColumn { metadata.append(("label_column", column)) }
        if let features = dataLayout?.featureCount { metadata.append(("features", "\(features)")) }
        header.append("\"__metadata__\":{" + metadata.map { "\(JSONText.quoted($0.0)):\(JSONText.quoted($0.1))" }.joined(separator: ",") + "}")
        var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }  // align the data to 8 bytes
        var out = ByteWriter()
        out.uint64(UInt64(json.count))
        out.bytes(json)
        for entry in entries { out.floats(entry.values) }
        try AtomicFile.write(out.data, to: path)
    }

    /// `layer` taking raw inputs: the standardization folded into its weights
    /// and bias (accumulated in Double).
    static func fold(_ normalization: Normalization, into layer: DenseLayer) -> DenseLayer {
        let w = layer.weights
        var weights = w
        var bias = layer.bias ?? Matrix(rows: 1, columns: w.columns)
        for j in 0..<w.columns {
            var shift = 0.0
            for i in 0..<w.rows {
                let scaled = Double(w[i, j]) * Double(normalization.scale[i])
                weights[i, j] = Float(scaled)
                shift += Double(normalization.mean[i]) * scaled
            }
            bias[0, j] = Float(Double(bias[0, j]) - shift)
        }
        return DenseLayer(checkedWeights: weights, bias: bias, units: layer.units)
    }

    /// Reads a safetensors file written by ``writeSafetensors(to:keepNormalization:)``
    /// or by PyTorch (`safetensors.torch.save_file` of `layers.<l>.weight`/`.bias`),
    /// with the normalization, classes and label column its metadata holds.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - units: each layer's units; `nil` takes them from the file's
    ///     `__metadata__`.
    /// - Throws: ``ModelFileError`` naming the file and the problem.
    public init(safetensorsAt path: String, units: [Units]? = nil) throws {
        try self.init(safetensorsBytes: AtomicFile.read(path), path: path, units: units)
    }

    /// Reads the bytes of a safetensors file; `path` names them in errors.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the name the errors give the bytes.
    ///   - units: each layer's units; `nil` takes them from the file's metadata.
    /// - Throws: ``ModelFileError`` as ``init(safetensorsAt:units:)``.
    public init(safetensorsBytes data: [UInt8], path: String, units: [Units]? = nil) throws {
        guard data.count >= 8 else { throw ModelFileError.truncated(path: path) }
        let headerSize = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard headerSize > 0, headerSize <= data.count - 8, let text = String(validating: data[8..<(8 + headerSize)], as: UTF8.self) else {
            throw ModelFileError.corrupted(path: path, detail: "bad safetensors header size \(headerSize)")
        }
        var parser = JSONScanner(text: text, path: path)
        let header = try parser.object()
        let body = 8 + headerSize
        func tensor(_ name: String) throws -> (shape: [Int], values: [Float])? {
            guard case .object(let fields)? = header[name] else { return nil }
            guard case .string("F32")? = fields["dtype"], case .array(let shape)? = fields["shape"],
                case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
                case .number(let begin) = offsets[0], case .number(let end) = offsets[1],
                begin >= 0, end >= begin, end <= Double(data.count)
            else { throw ModelFileError.corrupted(path: path, detail: "tensor \(name) is not F32 with shape and data_offsets") }
            let dims = try shape.map { (value: JSONValue) -> Int in
                guard case .number(let d) = value, d >= 1, d <= Double(1 << 26), d == d.rounded() else {
                    throw ModelFileError.corrupted(path: path, detail: "tensor \(name): shape \(shape.count)-D with a dimension that is not a whole number ≥ 1")
                }
                return Int(d)
            }
            let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max / 8 : $0 * $1 }
            guard Int(end) - Int(begin) == 4 * count, body + Int(end) <= data.count else {
                throw ModelFileError.truncated(path: path)
            }
            var reader = ByteReader(data: Array(data[(body + Int(begin))..<(body + Int(end))]) + [UInt8](repeating: 0, count: 8), path: path)
            return (dims, try reader.floats(count))
        }
        var metadata: [String: String] = [:]
        if case .object(let fields)? = header["__metadata__"] {
            for (key, value) in fields { if case .string(let text) = value { metadata[key] = text } }
        }
        var unitList = units
        if unitList == nil, let names = metadata["units"] {
            unitList = try names.split(separator: ",").map {
                guard let parsed = Units(String($0)) else { throw ModelFileError.corrupted(path: path, detail: "unknown units '\($0)'") }
                return parsed
            }
        }
        var layers: [DenseLayer] = []
        var l = 0
        while let weight = try tensor("layers.\(l).weight") {
            guard weight.shape.count == 2 else { throw ModelFileError.corrupted(path: path, detail: "layers.\(l).weight is not 2-D") }
            guard let unitList, l < unitList.count else {
                throw ModelFileError.wrongArchitecture(path: path, detail: "no units given for layer \(l)")
            }
            let (columns, inputs) = (weight.shape[0], weight.shape[1])
            let bias = try tensor("layers.\(l).bias").map { Matrix(rows: 1, columns: $0.values.count, columnMajor: $0.values) }
            guard columns % unitList[l].piecesPerUnit == 0, bias == nil || bias!.columns == columns else {
                throw ModelFileError.wrongArchitecture(path: path, detail: "layer \(l) does not fit \(unitList[l]) units")
            }
            layers.append(DenseLayer(checkedWeights: Matrix(rows: inputs, columns: columns, columnMajor: weight.values), bias: bias, units: unitList[l]))
            l += 1
        }
        guard !layers.isEmpty else { throw ModelFileError.corrupted(path: path, detail: "no tensor named layers.0.weight") }
        for (index, (previous, next)) in zip(layers, layers.dropFirst()).enumerated() where previous.outputs != next.inputs {
            throw ModelFileError.wrongArchitecture(
                path: path, detail: "layer \(index) has \(previous.outputs) outputs, layer \(index + 1) \(next.inputs) inputs")
        }
        var normalization: Normalization?
        if let mean = try tensor("normalization.mean"), let scale = try tensor("normalization.scale") {
            guard mean.values.count == layers[0].inputs, scale.values.count == layers[0].inputs else {
                throw ModelFileError.wrongArchitecture(
                    path: path, detail: "normalization tensors have \(mean.values.count) and \(scale.values.count) values for \(layers[0].inputs) inputs")
            }
            normalization = Normalization(checkedMean: mean.values, scale: scale.values)
        }
        var layout: DataLayout?
        if let classesText = metadata["classes"] {
            var scanner = JSONScanner(text: classesText, path: path)
            guard case .array(let items) = try scanner.value() else {
                throw ModelFileError.corrupted(path: path, detail: "metadata classes is not a JSON array")
            }
            let classes = try items.map { item -> String in
                guard case .string(let name) = item else { throw ModelFileError.corrupted(path: path, detail: "metadata classes holds a non-string") }
                return name
            }
            guard classes.count == layers[layers.count - 1].outputs || (classes.count == 2 && layers[layers.count - 1].outputs == 1) else {
                throw ModelFileError.wrongArchitecture(path: path, detail: "\(classes.count) classes for \(layers[layers.count - 1].outputs) outputs")
            }
            layout = DataLayout(labelColumn: metadata["label_column"], featureCount: layers[0].inputs, classes: classes)
        } else if metadata["label_column"] != nil {
            layout = DataLayout(labelColumn: metadata["label_column"], featureCount: layers[0].inputs, classes: nil)
        }
        let kept = ["format", "units", "normalization", "classes", "label_column", "features"]
        let network: Network
        do { network = try Network(layers: layers) } catch { throw ModelFileError.wrongArchitecture(path: path, detail: error.problem) }
        self.init(
            network: network, normalization: normalization, metadata: metadata.filter { !kept.contains($0.key) },
            dataLayout: layout)
    }
}

extension Network {
    /// Writes the weights as a safetensors file (``ModelFile/writeSafetensors(to:keepNormalization:)``).
    ///
    /// - Parameter path: the file to create or replace.
    public func writeSafetensors(to path: String) throws {
        try ModelFile(network: self).writeSafetensors(to: path)
    }

    /// Reads the network of a safetensors file.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - units: each layer's units; `nil` takes them from the file's metadata.
    /// - Throws: ``ModelFileError/wrongArchitecture(path:detail:)`` when the
    ///   file also holds an input normalization, which a network alone would
    ///   lose: read it with ``ModelFile/init(safetensorsAt:units:)``.
    public init(safetensorsAt path: String, units: [Units]? = nil) throws {
        let file = try ModelFile(safetensorsAt: path, units: units)
        guard file.normalization == nil else {
            throw ModelFileError.wrongArchitecture(path: path, detail: "the file holds an input normalization; read it as a ModelFile to keep it")
        }
        self = file.network
    }
}
