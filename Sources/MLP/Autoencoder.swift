import Kernels

/// A network trained to reproduce its input through a narrow code layer:
/// an encoder (inputs → hidden… → code) and a decoder (code → hidden… →
/// inputs), one ``Network`` trained with ``Trainer/fit(_:options:progress:)``
/// on targets equal to the inputs.
///
/// With identity units, no hidden layers and the mean squared error, the M
/// code units span the same subspace as the top M principal components
/// (Docs/PCA.md); with nonlinear hidden layers it generalizes PCA.
/// Reconstruction error is ``PCA/meanSquaredResidual(_:_:)`` of the input and
/// its reconstruction, as for PCA.
public struct Autoencoder: Sendable, Equatable {
    /// Encoder and decoder layers in order.
    public var network: Network
    /// How many of the layers form the encoder; the last of them is the code.
    public let encoderLayerCount: Int
    /// Whether each decoder layer's weights are the transpose of its mirror
    /// encoder layer's (``trainer(optimizer:regularization:seed:)`` ties them).
    public let tiedWeights: Bool

    /// A new autoencoder for `inputs` features with a `code`-unit code.
    ///
    /// - Parameters:
    ///   - hidden: the encoder's hidden widths, input side first; the decoder
    ///     mirrors them unless `decoderHidden` is given.
    ///   - activation: the hidden layers' units.
    ///   - codeUnits: the code layer's units (identity by default, as PCA).
    ///   - outputUnits: the reconstruction's units (identity by default, for
    ///     data that is not in [0, 1]).
    ///   - tiedWeights: decoder weights = encoder weightsᵀ (needs the mirrored decoder).
    /// - Throws: ``TrainingError/shapeMismatch(_:)`` for a code or width below
    ///   1, or tied weights with a decoder that is not the mirror.
    public init(
        inputs: Int, code: Int, hidden: [Int] = [], decoderHidden: [Int]? = nil, activation: Units = .activation(.relu),
        codeUnits: Units = .linear, outputUnits: Units = .linear, tiedWeights: Bool = false, seed: UInt64 = 1
    ) throws(TrainingError) {
        let decoderWidths = decoderHidden ?? hidden.reversed()
        guard inputs >= 1, code >= 1, (hidden + decoderWidths).allSatisfy({ $0 >= 1 }) else {
            throw .shapeMismatch("an autoencoder needs inputs, code and hidden widths ≥ 1 (inputs \(inputs), code \(code), hidden \(hidden))")
        }
        if tiedWeights, decoderWidths != hidden.reversed() {
            throw .shapeMismatch("tied weights need the mirrored decoder \(Array(hidden.reversed())), not \(decoderWidths)")
        }
        let initialBias: Float = activation == .activation(.relu) ? 0.01 : 0
        let encoder = hidden.map { LayerSpec($0, activation, initialBias: initialBias) } + [LayerSpec(code, codeUnits)]
        let decoder = decoderWidths.map { LayerSpec($0, activation, initialBias: initialBias) } + [LayerSpec(inputs, outputUnits)]
        network = Network(inputs: inputs, layers: encoder + decoder, seed: seed)
        encoderLayerCount = encoder.count
        self.tiedWeights = tiedWeights
        if tiedWeights { network = mirroredWeights(network) }
    }

    /// An autoencoder from a trained network whose first `encoderLayerCount`
    /// layers are the encoder.
    ///
    /// - Precondition: 1 ≤ `encoderLayerCount` < the layer count, and the last layer outputs as many values as the first takes.
    public init(network: Network, encoderLayerCount: Int, tiedWeights: Bool = false) {
        require(
            (1..<network.layers.count).contains(encoderLayerCount) && network.outputs == network.inputs,
            "Autoencoder: \(encoderLayerCount) encoder layers of a \(network.inputs) → \(network.outputs) network of \(network.layers.count) layers")
        self.network = network
        self.encoderLayerCount = encoderLayerCount
        self.tiedWeights = tiedWeights
    }

    /// The number of code units, M.
    public var codeSize: Int { network.layers[encoderLayerCount - 1].outputs }
    /// The encoder: inputs → code.
    public var encoder: Network { Network(layers: Array(network.layers[..<encoderLayerCount])) }
    /// The decoder: code → reconstruction.
    public var decoder: Network { Network(layers: Array(network.layers[encoderLayerCount...])) }

    /// The codes of (N × D) `x`, (N × M).
    public func encode(_ x: Matrix, threads: Int? = nil) -> Matrix { encoder.predict(x, threads: threads) }
    /// The reconstructions of (N × M) codes, (N × D).
    public func decode(_ z: Matrix, threads: Int? = nil) -> Matrix { decoder.predict(z, threads: threads) }
    /// decode(encode(x)).
    public func reconstruct(_ x: Matrix, threads: Int? = nil) -> Matrix { network.predict(x, threads: threads) }
    /// The mean over samples of ‖x − reconstruct(x)‖².
    public func reconstructionError(_ x: Matrix, threads: Int? = nil) -> Double {
        PCA.meanSquaredResidual(x, reconstruct(x, threads: threads))
    }

    /// The encoder layer that layer `l` of the decoder mirrors (tied weights).
    private var mirrorPairs: [WeightTie] {
        (0..<encoderLayerCount).map { WeightTie(encoder: $0, decoder: network.layers.count - 1 - $0) }
    }

    private func mirroredWeights(_ network: Network) -> Network {
        var network = network
        for pair in mirrorPairs {
            network.layers[pair.decoder].weights = Matrix(network.layers[pair.encoder].weights.transposed())
        }
        return network
    }

    /// A trainer of the network with the mean squared error, weights tied
    /// when ``tiedWeights`` is set; train it with ``dataset(_:)`` and take
    /// the result with ``updated(from:)``.
    public func trainer(optimizer: Optimizer, regularization: Regularization = .none, seed: UInt64 = 0) throws -> Trainer {
        let trainer = try Trainer(network: network, loss: .meanSquaredError, optimizer: optimizer, regularization: regularization, seed: seed)
        if tiedWeights {
            for pair in mirrorPairs { try trainer.tieWeights(encoder: pair.encoder, decoder: pair.decoder) }
        }
        return trainer
    }

    /// The dataset whose targets are its inputs.
    public func dataset(_ x: Matrix) -> Dataset { Dataset(inputs: x, targets: x) }

    /// This autoencoder with the trainer's current weights.
    public func updated(from trainer: Trainer) -> Autoencoder {
        Autoencoder(network: trainer.network, encoderLayerCount: encoderLayerCount, tiedWeights: tiedWeights)
    }

    /// The model-file metadata that marks a network as this autoencoder.
    public var metadata: [String: String] {
        ["task": "autoencoder", "autoencoder.encoder-layers": "\(encoderLayerCount)", "autoencoder.tied": tiedWeights ? "yes" : "no"]
    }

    /// The autoencoder a model file holds, or `nil` when its metadata does not describe one.
    public init?(_ file: ModelFile) {
        guard file.metadata["task"] == "autoencoder", let count = file.metadata["autoencoder.encoder-layers"].flatMap(Int.init),
            (1..<file.network.layers.count).contains(count), file.network.inputs == file.network.outputs
        else { return nil }
        self.init(network: file.network, encoderLayerCount: count, tiedWeights: file.metadata["autoencoder.tied"] == "yes")
    }
}
