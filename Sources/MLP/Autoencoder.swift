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
    ///   - inputs: D, the width of a sample and of its reconstruction.
    ///   - code: M, the code units.
    ///   - hidden: the encoder's hidden widths, input side first; the decoder
    ///     mirrors them unless `decoderHidden` is given.
    ///   - decoderHidden: the decoder's hidden widths, code side first.
    ///   - activation: the hidden layers' units.
    ///   - codeUnits: the code layer's units (identity by default, as PCA).
    ///   - outputUnits: the reconstruction's units (identity by default, for
    ///     data that is not in [0, 1]).
    ///   - tiedWeights: decoder weights = encoder weightsᵀ (needs the mirrored decoder).
    ///   - seed: the seed of the initial weights.
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
        do {
            network = try Network(inputs: inputs, layers: encoder + decoder, seed: seed)
        } catch {
            throw .shapeMismatch("autoencoder: \(error)")
        }
        encoderLayerCount = encoder.count
        self.tiedWeights = tiedWeights
        if tiedWeights { network = mirroredWeights(network) }
    }

    /// An autoencoder from a trained network whose first `encoderLayerCount`
    /// layers are the encoder.
    ///
    /// - Parameters:
    ///   - network: the trained network, encoder then decoder.
    ///   - encoderLayerCount: how many of its layers, from the first, make the encoder.
    ///   - tiedWeights: whether the decoder's weights are the encoder's transposed.
    /// - Throws: ``TrainingError/shapeMismatch(_:)`` unless 1 ≤ `encoderLayerCount`
    ///   < the layer count and the last layer outputs as many values as the first takes.
    public init(network: Network, encoderLayerCount: Int, tiedWeights: Bool = false) throws(TrainingError) {
        guard (1..<network.layers.count).contains(encoderLayerCount), network.outputs == network.inputs else {
            throw .shapeMismatch(
                "an autoencoder needs 1 ≤ encoderLayerCount < the layer count and outputs = inputs; got encoderLayerCount = \(encoderLayerCount) of a \(network.inputs) → \(network.outputs) network of \(network.layers.count) layers"
            )
        }
        self.init(checkedNetwork: network, encoderLayerCount: encoderLayerCount, tiedWeights: tiedWeights)
    }

    /// An autoencoder whose network and encoder layers the caller has checked.
    init(checkedNetwork network: Network, encoderLayerCount: Int, tiedWeights: Bool) {
        self.network = network
        self.encoderLayerCount = encoderLayerCount
        self.tiedWeights = tiedWeights
    }

    /// The number of code units, M.
    public var codeSize: Int { network.layers[encoderLayerCount - 1].outputs }
    /// The encoder: inputs → code.
    public var encoder: Network { Network(checkedLayers: Array(network.layers[..<encoderLayerCount])) }
    /// The decoder: code → reconstruction.
    public var decoder: Network { Network(checkedLayers: Array(network.layers[encoderLayerCount...])) }

    /// The codes of (N × D) `x`, (N × M).
    ///
    /// - Parameters:
    ///   - x: the (N × D) inputs.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have D columns.
    public func encode(_ x: Matrix, threads: Int? = nil) throws(ArgumentError) -> Matrix {
        try encoder.predict(x, threads: threads)
    }
    /// The reconstructions of (N × M) codes, (N × D).
    ///
    /// - Parameters:
    ///   - z: the (N × M) codes.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `z` does not have M columns.
    public func decode(_ z: Matrix, threads: Int? = nil) throws(ArgumentError) -> Matrix {
        try decoder.predict(z, threads: threads)
    }
    /// decode(encode(x)).
    ///
    /// - Parameters:
    ///   - x: the (N × D) inputs.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have D columns.
    public func reconstruct(_ x: Matrix, threads: Int? = nil) throws(ArgumentError) -> Matrix {
        try network.predict(x, threads: threads)
    }
    /// The mean over samples of ‖x − reconstruct(x)‖².
    ///
    /// - Parameters:
    ///   - x: the (N × D) inputs.
    ///   - threads: overrides `Threading.threadCount` for this call.
    /// - Throws: ``ArgumentError`` when `x` does not have D columns.
    public func reconstructionError(_ x: Matrix, threads: Int? = nil) throws(ArgumentError) -> Double {
        PCA.checkedMeanSquaredResidual(x, try reconstruct(x, threads: threads))
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
    ///
    /// - Parameters:
    ///   - optimizer: the update rule.
    ///   - regularization: the weight penalty.
    ///   - seed: the seed of the trainer's shuffles and dropout.
    public func trainer(optimizer: Optimizer, regularization: Regularization = .none, seed: UInt64 = 0) throws -> Trainer {
        let trainer = try Trainer(network: network, loss: .meanSquaredError, optimizer: optimizer, regularization: regularization, seed: seed)
        if tiedWeights {
            for pair in mirrorPairs { try trainer.tieWeights(encoder: pair.encoder, decoder: pair.decoder) }
        }
        return trainer
    }

    /// The dataset whose targets are its inputs.
    ///
    /// - Parameter x: the (N × D) samples.
    public func dataset(_ x: Matrix) -> Dataset { Dataset(checkedInputs: x, targets: x) }

    /// This autoencoder with the trainer's current weights.
    ///
    /// - Parameter trainer: a trainer made by `trainer(optimizer:regularization:seed:)`.
    /// - Throws: ``TrainingError/shapeMismatch(_:)`` when the trainer's
    ///   network is not this autoencoder's shape.
    public func updated(from trainer: Trainer) throws(TrainingError) -> Autoencoder {
        let network = trainer.network
        guard network.layers.map(\.weights.rows) == self.network.layers.map(\.weights.rows),
            network.layers.map(\.weights.columns) == self.network.layers.map(\.weights.columns)
        else {
            throw .shapeMismatch("the trainer's network is not this autoencoder's: its layers have other shapes")
        }
        return Autoencoder(checkedNetwork: network, encoderLayerCount: encoderLayerCount, tiedWeights: tiedWeights)
    }

    /// The model-file metadata that marks a network as this autoencoder.
    public var metadata: [String: String] {
        ["task": "autoencoder", "autoencoder.encoder-layers": "\(encoderLayerCount)", "autoencoder.tied": tiedWeights ? "yes" : "no"]
    }

    /// The autoencoder a model file holds, or `nil` when its metadata does not describe one.
    ///
    /// - Parameter file: a model file read from disk.
    public init?(_ file: ModelFile) {
        guard file.metadata["task"] == "autoencoder", let count = file.metadata["autoencoder.encoder-layers"].flatMap(Int.init),
            (1..<file.network.layers.count).contains(count), file.network.inputs == file.network.outputs
        else { return nil }
        self.init(checkedNetwork: file.network, encoderLayerCount: count, tiedWeights: file.metadata["autoencoder.tied"] == "yes")
    }
}
