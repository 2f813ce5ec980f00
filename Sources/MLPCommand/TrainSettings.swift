import Kernels
import MLP
import MLPData

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The options of `mlp train`, parsed, validated and checked against each other.
struct TrainSettings {
    var csv: CSVOptions
    var validationSplit: Double
    var hidden: [Int]
    var activation: Units
    var output: Units
    var loss: Loss?
    var optimizer: Optimizer
    var epochs: Int, batch: Int
    var l2: Float, l1: Float, dropout: Float
    var earlyStopping: Int?
    var standardize: Bool
    var classes: Int?
    var seed: UInt64
    var threads: Int?
    /// Where to save; empty for a command that saves only when asked (autoencode).
    var save: String

    var regression: Bool { output == .linear }

    init(_ args: Arguments) throws {
        csv = try DataOptions.csv(args)
        validationSplit = Double(try args.float("--validation-split", in: 0...0.99)!)
        let hiddenText = args.string("--hidden")!
        hidden =
            try hiddenText.isEmpty
            ? []
            : hiddenText.split(separator: ",", omittingEmptySubsequences: false).map {
                guard let width = Int($0.filter { $0 != " " }), width >= 1 else {
                    throw UsageError(description: "option --hidden: '\(hiddenText)' is not a comma-separated list of widths ≥ 1 (an entry is '\($0)')")
                }
                return width
            }
        let activationName = args.string("--activation")!
        guard let activation = Units(activationName), activation != .softmax else {
            throw UsageError(description: "option --activation: '\(activationName)' is not a hidden activation (see mlp train --help)")
        }
        self.activation = activation
        // Commands without --output (autoencode) build their own output layer.
        let outputName = try args.choice("--output", ["softmax", "sigmoid", "linear"]) ?? "linear"
        output = Units(outputName)!
        if let lossName = try args.choice("--loss", ["cross-entropy", "binary-cross-entropy", "mse", "sse", "hinge"]) {
            loss =
                [
                    "cross-entropy": .softmaxCrossEntropy, "binary-cross-entropy": .sigmoidCrossEntropy, "mse": .meanSquaredError,
                    "sse": .sumOfSquares, "hinge": .multiclassHinge,
                ][lossName]
            let classificationLoss = ["cross-entropy", "binary-cross-entropy", "hinge"].contains(lossName)
            if outputName == "linear" && classificationLoss {
                throw UsageError(
                    description:
                        "options --loss \(lossName) and --output linear contradict each other: \(lossName) is a classification loss, linear outputs are regression"
                )
            }
        }
        let lr = try args.float("--lr", in: 1e-12...1e6)!
        let optimizerName = try args.choice("--optimizer", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "delta-bar-delta"])!
        let deltaBarDeltaOptions = ["--kappa", "--phi", "--theta"].filter { args.values[$0] != nil }
        if optimizerName != "delta-bar-delta", let option = deltaBarDeltaOptions.first {
            throw UsageError(
                description: "option \(option) is a delta-bar-delta parameter; add --optimizer delta-bar-delta (the optimizer is \(optimizerName))")
        }
        switch optimizerName {
        case "sgd": optimizer = .sgd(learningRate: lr)
        case "momentum": optimizer = .momentum(learningRate: lr)
        case "nesterov": optimizer = .nesterov(learningRate: lr)
        case "adagrad": optimizer = .adaGrad(learningRate: lr)
        case "rmsprop": optimizer = .rmsProp(learningRate: lr)
        case "adam": optimizer = .adam(learningRate: lr)
        case "adamw": optimizer = .adamW(learningRate: lr)
        default:
            optimizer = .deltaBarDelta(
                learningRate: lr, increment: try args.float("--kappa", in: 0...1e6)!, decrement: try args.float("--phi", in: 0...1)!,
                smoothing: try args.float("--theta", in: 0...1)!)
        }
        epochs = try args.int("--epochs", atLeast: 1)!
        batch = try args.int("--batch", atLeast: 1)!
        l2 = try args.float("--l2", in: 0...1e6)!
        l1 = try args.float("--l1", in: 0...1e6)!
        dropout = try args.float("--dropout", in: 0...0.99)!
        earlyStopping = try args.int("--early-stopping", atLeast: 1)
        if earlyStopping != nil && validationSplit == 0 {
            throw UsageError(description: "option --early-stopping needs a validation set: add --validation-split F")
        }
        standardize = args.has("--standardize")
        classes = try args.int("--classes", atLeast: 2)
        if classes != nil && outputName == "linear" {
            throw UsageError(description: "options --classes and --output linear contradict each other: classes are for classification")
        }
        seed = UInt64(try args.int("--seed", atLeast: 0)!)
        threads = args.values["--threads"] == nil ? nil : try args.int("--threads", atLeast: 1)
        save = args.string("--save") ?? ""
        if args.has("--stream") {
            for option in ["--plot", "--validation-split", "--early-stopping"] where args.values[option] != nil {
                throw UsageError(description: "options --stream and \(option) contradict each other: streaming training does not support \(option) yet")
            }
            if csv.missing == .mean {
                throw UsageError(description: "options --stream and --missing mean contradict each other: the means need the whole file (use --missing drop)")
            }
        }
    }

    /// A trainer for a new network of the chosen architecture (ReLU hidden
    /// units start with a bias of 0.01), refused before anything is
    /// allocated when it would not fit in the machine's memory.
    func trainer(inputs: Int, outputs: Int) throws -> Trainer {
        try checkMemory(inputs: inputs, outputs: outputs)
        let initialBias: Float = activation == .activation(.relu) ? 0.01 : 0
        let layers = hidden.map { LayerSpec($0, activation, initialBias: initialBias) } + [LayerSpec(outputs, output)]
        do {
            return try Trainer(
                network: Network(inputs: inputs, layers: layers, seed: seed), loss: loss ?? TrainCommand.defaultLoss(for: output),
                optimizer: optimizer, regularization: Regularization(l2: l2, l1: l1, dropout: dropout), seed: seed)
        } catch let error as TrainingError {
            throw UsageError(description: "\(error) (check --loss and --output)")
        }
    }

    /// Bytes the network and its training need: per parameter the weight,
    /// its gradient and up to two optimizer moments, a spare for the best
    /// weights; per sample of a batch ~6 floats per unit (activations,
    /// pre-activations, gradients, dropout masks). `nil` on overflow.
    func trainingBytes(inputs: Int, outputs: Int) -> Int? {
        let pieces: Int
        if case .maxout(let k) = activation { pieces = k } else { pieces = 1 }
        var parameters = 0, units = inputs, previous = inputs
        for (width, columns) in hidden.map({ ($0, $0 * pieces) }) + [(outputs, outputs)] {
            let (layer, overflow) = (previous + 1).multipliedReportingOverflow(by: columns)
            guard !overflow, parameters <= Int.max / 2 - layer else { return nil }
            parameters += layer
            units += columns
            previous = width
        }
        let (perParameter, o1) = parameters.multipliedReportingOverflow(by: 5 * 4)
        let (perBatch, o2) = units.multipliedReportingOverflow(by: 6 * 4 * batch)
        guard !o1, !o2, perParameter <= Int.max / 2, perBatch <= Int.max / 2 else { return nil }
        return perParameter + perBatch
    }

    func checkMemory(inputs: Int, outputs: Int) throws {
        do {
            try MemoryLimit.check(trainingBytes(inputs: inputs, outputs: outputs), for: "the network and its training buffers")
        } catch {
            throw UsageError(description: "option --hidden: \(error)")
        }
    }
}
