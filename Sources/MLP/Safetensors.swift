import Kernels

/// Weights in the safetensors format, so PyTorch users can load them:
/// F32 tensors `layers.<l>.weight` of shape (columns, inputs) — PyTorch's
/// `nn.Linear.weight` layout, the same bytes as this library's column-major
/// (inputs × columns) W — and `layers.<l>.bias` of shape (columns). The units
/// of every layer go in `__metadata__` under `units` (comma-separated).
extension Network {
    /// Writes the weights as a safetensors file, atomically.
    public func writeSafetensors(to path: String) throws {
        var entries: [(name: String, shape: [Int], values: [Float])] = []
        for (l, layer) in layers.enumerated() {
            entries.append(("layers.\(l).weight", [layer.weights.columns, layer.inputs], layer.weights.elements))
            if let bias = layer.bias { entries.append(("layers.\(l).bias", [bias.columns], bias.elements)) }
        }
        var header: [String] = []
        var offset = 0
        for entry in entries {
            let end = offset + 4 * entry.values.count
            header.append("\"\(entry.name)\":{\"dtype\":\"F32\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        let units = layers.map(\.units.description).joined(separator: ",")
        header.append("\"__metadata__\":{\"format\":\"pt\",\"units\":\"\(units)\"}")
        var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }  // align the data to 8 bytes
        var out = ByteWriter()
        out.uint64(UInt64(json.count))
        out.bytes(json)
        for entry in entries { out.floats(entry.values) }
        try AtomicFile.write(out.data, to: path)
    }

    /// Reads a safetensors file written by ``writeSafetensors(to:)`` or by
    /// PyTorch (`safetensors.torch.save_file` of `layers.<l>.weight`/`.bias`).
    ///
    /// - Parameter units: each layer's units; `nil` takes them from the
    ///   file's `__metadata__`.
    public init(safetensorsAt path: String, units: [Units]? = nil) throws {
        let data = try AtomicFile.read(path)
        guard data.count >= 8 else { throw ModelFileError.truncated(path: path) }
        let headerSize = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard headerSize > 0, 8 + headerSize <= data.count, let text = String(validating: data[8..<(8 + headerSize)], as: UTF8.self) else {
            throw ModelFileError.corrupted(path: path, detail: "bad safetensors header size \(headerSize)")
        }
        var parser = JSONScanner(text: text, path: path)
        let header = try parser.object()
        let body = 8 + headerSize
        func tensor(_ name: String) throws -> (shape: [Int], values: [Float])? {
            guard case .object(let fields)? = header[name] else { return nil }
            guard case .string("F32")? = fields["dtype"], case .array(let shape)? = fields["shape"],
                  case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
                  case .number(let begin) = offsets[0], case .number(let end) = offsets[1]
            else { throw ModelFileError.corrupted(path: path, detail: "tensor \(name) is not F32 with shape and data_offsets") }
            let dims = try shape.map { (value: JSONValue) -> Int in
                guard case .number(let d) = value else { throw ModelFileError.corrupted(path: path, detail: "tensor \(name): bad shape") }
                return Int(d)
            }
            let count = dims.reduce(1, *)
            guard Int(end) - Int(begin) == 4 * count, body + Int(end) <= data.count else {
                throw ModelFileError.truncated(path: path)
            }
            var reader = ByteReader(data: Array(data[(body + Int(begin))..<(body + Int(end))]) + [UInt8](repeating: 0, count: 8), path: path)
            return (dims, try reader.floats(count))
        }
        var unitList = units
        if unitList == nil, case .object(let metadata)? = header["__metadata__"], case .string(let names)? = metadata["units"] {
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
            let bias = try tensor("layers.\(l).bias").map { Matrix(rows: 1, columns: columns, columnMajor: $0.values) }
            guard columns % unitList[l].piecesPerUnit == 0, bias == nil || bias!.columns == columns else {
                throw ModelFileError.wrongArchitecture(path: path, detail: "layer \(l) does not fit \(unitList[l]) units")
            }
            layers.append(DenseLayer(weights: Matrix(rows: inputs, columns: columns, columnMajor: weight.values), bias: bias, units: unitList[l]))
            l += 1
        }
        guard !layers.isEmpty else { throw ModelFileError.corrupted(path: path, detail: "no tensor named layers.0.weight") }
        for (index, (previous, next)) in zip(layers, layers.dropFirst()).enumerated() where previous.outputs != next.inputs {
            throw ModelFileError.wrongArchitecture(path: path, detail: "layer \(index) has \(previous.outputs) outputs, layer \(index + 1) \(next.inputs) inputs")
        }
        self.init(layers: layers)
    }
}

/// The JSON values a safetensors header uses.
enum JSONValue {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Double), other
}

/// A small JSON reader for safetensors headers (objects, arrays, strings
/// without escapes beyond \" and \\, numbers, true/false/null).
struct JSONScanner {
    let scalars: [UnicodeScalar]
    let path: String
    var index = 0

    init(text: String, path: String) {
        scalars = Array(text.unicodeScalars)
        self.path = path
    }

    mutating func fail(_ what: String) -> ModelFileError {
        .corrupted(path: path, detail: "safetensors header: \(what) at character \(index)")
    }

    mutating func skipSpace() { while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 } }

    mutating func expect(_ c: UnicodeScalar) throws {
        skipSpace()
        guard index < scalars.count, scalars[index] == c else { throw fail("expected '\(c)'") }
        index += 1
    }

    mutating func object() throws -> [String: JSONValue] {
        guard case .object(let fields) = try value() else { throw fail("expected an object") }
        return fields
    }

    mutating func value() throws -> JSONValue {
        skipSpace()
        guard index < scalars.count else { throw fail("unexpected end") }
        switch scalars[index] {
        case "{":
            index += 1
            var fields: [String: JSONValue] = [:]
            skipSpace()
            if index < scalars.count, scalars[index] == "}" { index += 1; return .object(fields) }
            repeat {
                guard case .string(let key) = try value() else { throw fail("expected a key") }
                try expect(":")
                fields[key] = try value()
                skipSpace()
            } while try separator(closing: "}")
            return .object(fields)
        case "[":
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "]" { index += 1; return .array(items) }
            repeat { items.append(try value()) } while try separator(closing: "]")
            return .array(items)
        case "\"":
            index += 1
            var s = ""
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\" { index += 1 }
                guard index < scalars.count else { break }
                s.unicodeScalars.append(scalars[index])
                index += 1
            }
            try expect("\"")
            return .string(s)
        default:
            let start = index
            while index < scalars.count, !",]} \n\t".unicodeScalars.contains(scalars[index]) { index += 1 }
            let token = String(String.UnicodeScalarView(scalars[start..<index]))
            if let number = Double(token) { return .number(number) }
            guard ["true", "false", "null"].contains(token) else { throw fail("unexpected '\(token)'") }
            return .other
        }
    }

    /// Consumes "," (true: more items) or `closing` (false).
    mutating func separator(closing: UnicodeScalar) throws -> Bool {
        skipSpace()
        guard index < scalars.count else { throw fail("unexpected end") }
        let c = scalars[index]
        index += 1
        if c == "," { return true }
        if c == closing { return false }
        throw fail("expected ',' or '\(closing)'")
    }
}
