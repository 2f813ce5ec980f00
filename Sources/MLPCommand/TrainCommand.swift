import Kernels
import MLP

/// `mlp train`: trains a network on a CSV/IDX file or the built-in digits and
/// reports, saves and plots the result.
enum TrainCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(name: "--train", value: "FILE", defaultValue: "built-in UCI digits", help: "training data: CSV, or IDX images with --train-labels", defaultIsValue: false),
        OptionSpec(name: "--train-labels", value: "FILE", help: "IDX labels file for IDX training images"),
        OptionSpec(name: "--test", value: "FILE", defaultValue: "built-in digits test split with the built-in data", help: "test data, same format as --train", defaultIsValue: false),
        OptionSpec(name: "--test-labels", value: "FILE", help: "IDX labels file for IDX test images"),
        OptionSpec(name: "--validation-split", value: "F", defaultValue: "0", help: "fraction of the training data held out for validation, in [0, 1)"),
        OptionSpec(name: "--label-column", value: "N|first|last", defaultValue: "first", help: "which CSV column holds the label (N counts from 1)"),
        OptionSpec(name: "--delimiter", value: "C", defaultValue: "detected", help: "CSV field delimiter, e.g. ',' ';' 'tab'", defaultIsValue: false),
        OptionSpec(name: "--header", help: "the CSV's first line is a header (default: detected)"),
        OptionSpec(name: "--no-header", help: "the CSV has no header line"),
        OptionSpec(name: "--hidden", value: "N,N,…", defaultValue: "128", help: "hidden layer widths; empty for none"),
        OptionSpec(name: "--activation", value: "NAME", defaultValue: "relu", help: "hidden units: relu, leaky-relu, tanh, sigmoid, softplus, gelu, hard-sigmoid, identity, maxout(K)"),
        OptionSpec(name: "--output", value: "NAME", defaultValue: "softmax", help: "output units: softmax, sigmoid, or linear (regression)"),
        OptionSpec(name: "--loss", value: "NAME", defaultValue: "matches --output", help: "cross-entropy, binary-cross-entropy, mse, sse or hinge", defaultIsValue: false),
        OptionSpec(name: "--optimizer", value: "NAME", defaultValue: "adam", help: "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw"),
        OptionSpec(name: "--lr", value: "F", defaultValue: "0.003", help: "learning rate"),
        OptionSpec(name: "--epochs", value: "N", defaultValue: "40", help: "passes over the training data"),
        OptionSpec(name: "--batch", value: "N", defaultValue: "32", help: "samples per step"),
        OptionSpec(name: "--l2", value: "F", defaultValue: "0.001", help: "L2 penalty (weight decay) coefficient"),
        OptionSpec(name: "--l1", value: "F", defaultValue: "0", help: "L1 penalty coefficient"),
        OptionSpec(name: "--dropout", value: "F", defaultValue: "0", help: "dropout probability on hidden layers, in [0, 1)"),
        OptionSpec(name: "--early-stopping", value: "PATIENCE", help: "stop after PATIENCE epochs without validation improvement, keep the best weights"),
        OptionSpec(name: "--stream", help: "read --train anew each epoch in chunks of 4096 rows instead of loading it (for files larger than memory; no validation split)"),
        OptionSpec(name: "--standardize", help: "standardize features (statistics are saved in the model; on by default for the built-in data)"),
        OptionSpec(name: "--seed", value: "N", defaultValue: "1", help: "seed for initialization, shuffling and dropout"),
        OptionSpec(name: "--threads", value: "N", defaultValue: "all processors", help: "threads for the kernels", defaultIsValue: false),
        OptionSpec(name: "--save", value: "FILE", defaultValue: "model.mlp", help: "where to save the trained model (written atomically)"),
        OptionSpec(name: "--plot", value: "FILE.svg", help: "write loss and accuracy curves per epoch as SVG"),
        OptionSpec(name: "--json", help: "print only a JSON summary on stdout"),
        OptionSpec(name: "--quiet", help: "no progress output"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static let summary = """
        Trains a multilayer perceptron. Without --train it trains on the built-in
        UCI optical digits (1347 training, 450 test images of 8×8 pixels).
        """

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(
            command: "train", summary: summary, specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        let settings = try Settings(args)
        if let threads = settings.threads { Threading.threadCount = threads }
        console.quiet = args.has("--quiet") || args.has("--json")

        if args.has("--stream") { return try stream(args, settings, console: &console) }

        // Data.
        let builtin = args.values["--train"] == nil
        let training = builtin
            ? try Table.builtin(BuiltinDigits.trainCSV, name: "built-in digits (train)")
            : try Table.load(args.values["--train"]!, labels: args.values["--train-labels"], options: settings.csv)
        var testTable: Table?
        if let path = args.values["--test"] {
            testTable = try Table.load(path, labels: args.values["--test-labels"], options: settings.csv)
        } else if builtin {
            testTable = try Table.builtin(BuiltinDigits.testCSV, name: "built-in digits (test)")
        }
        if let testTable, testTable.features.columns != training.features.columns {
            throw DataError(file: testTable.name, line: testTable.lines.first, message: "rows have \(testTable.features.columns) features, the training data has \(training.features.columns)")
        }
        let regression = settings.output == .linear
        let classes = regression ? [] : training.classes
        if !regression && classes.count < 2 {
            throw DataError(file: training.name, message: "classification needs at least 2 classes; found \(classes.count) (use --output linear for regression)")
        }
        let normalization = settings.standardize || builtin ? Normalization(fitting: training.features) : nil
        func dataset(_ table: Table) throws -> Dataset {
            let x = normalization?.apply(to: table.features) ?? table.features
            return Dataset(inputs: x, targets: regression ? try table.values() : try table.oneHot(classes: classes))
        }
        var trainData = try dataset(training)
        var validation: Dataset?
        if settings.validationSplit > 0 {
            (trainData, validation) = trainData.split(validationFraction: settings.validationSplit, seed: settings.seed)
        }
        let testData = try testTable.map(dataset)

        let trainer = try settings.trainer(inputs: training.features.columns, outputs: regression ? 1 : classes.count)
        let network = trainer.network, loss = trainer.loss
        console.note("training \(describe(network)) on \(trainData.count) samples of \(training.name)"
            + (validation.map { ", validating on \($0.count)" } ?? "") + ", \(trainer.optimizer.name) lr \(settings.optimizer.learningRate), \(settings.epochs) epochs of batch \(settings.batch)")

        var progress = ProgressDisplay(console: console)
        let options = TrainingOptions(
            epochs: settings.epochs, batchSize: settings.batch, validation: validation,
            earlyStoppingPatience: settings.earlyStopping)
        let history: TrainingHistory
        do {
            history = try trainer.fit(trainData, options: options) { progress.update($0) }
        } catch let error as TrainingError {
            throw UsageError(description: "\(error)")
        }
        let trained = trainer.network

        // Report.
        let trainResult = trained.evaluate(trainData.inputs, targets: trainData.targets, loss: loss)
        let validationResult = validation.map { trained.evaluate($0.inputs, targets: $0.targets, loss: loss) }
        let testResult = testData.map { trained.evaluate($0.inputs, targets: $0.targets, loss: loss) }
        let samplesPerSecond = Double(history.samples) / max(history.trainingSeconds, 1e-9)
        if args.has("--json") {
            console.out(Report.json(test: testResult, seconds: history.trainingSeconds, samplesPerSecond: samplesPerSecond, epochs: history.epochs.count, regression: regression))
        } else {
            var lines = ["", "trained in \(Report.fixed(history.trainingSeconds, 3)) s (\(Report.fixed(samplesPerSecond, 0)) samples/s), \(history.epochs.count) epochs, stopped: \(history.stopReason)"]
            lines.append(Report.line("train", trainResult, regression: regression))
            if let validationResult { lines.append(Report.line("validation", validationResult, regression: regression)) }
            if let testResult { lines.append(Report.line("test", testResult, regression: regression)) }
            console.out(lines.joined(separator: "\n") + "\n")
            if !regression {
                let (name, data) = testData.map { ("test", $0) } ?? validation.map { ("validation", $0) } ?? ("train", trainData)
                console.out(Report.classification(name: name, predicted: trained.predictClasses(data.inputs), expected: Report.labels(of: data.targets), classes: classes))
            }
        }

        // Save and plot.
        try save(trainer, normalization: normalization, classes: regression ? nil : classes, source: training.name, to: settings.save)
        console.note("saved the model to \(settings.save)")
        if let plot = args.values["--plot"] {
            try Plot.curves(history, regression: regression).write(to: plot)
            console.note("wrote the training curves to \(plot)")
        }
        return 0
    }

    /// `--stream`: training without loading the file (StreamingTraining).
    static func stream(_ args: Arguments, _ settings: Settings, console: inout Console) throws -> Int32 {
        guard let path = args.values["--train"], !IDXReader.looksLikeIDX(path) else {
            throw UsageError(description: "option --stream needs a CSV file given with --train")
        }
        guard settings.validationSplit == 0, settings.earlyStopping == nil else {
            throw UsageError(description: "option --stream cannot be combined with --validation-split or --early-stopping")
        }
        let regression = settings.output == .linear
        let streaming = StreamingTraining(reader: CSVReader(path: path, options: settings.csv), chunkRows: 4096)
        let (classes, features, normalization) = try streaming.survey(regression: regression, standardize: settings.standardize)
        if !regression && classes.count < 2 {
            throw DataError(file: path, message: "classification needs at least 2 classes; found \(classes.count)")
        }
        let trainer = try settings.trainer(inputs: features, outputs: regression ? 1 : classes.count)
        let loss = trainer.loss
        console.note("streaming \(path) through \(describe(trainer.network))")
        var generator = Xoshiro256(seed: settings.seed)
        var seconds = 0.0, samples = 0
        for epoch in 0..<settings.epochs {
            let (epochLoss, count, time) = try streaming.epoch(
                trainer, batch: settings.batch, classes: regression ? nil : classes, normalization: normalization, generator: &generator)
            seconds += time
            samples += count
            console.note("epoch \(epoch + 1)/\(settings.epochs)  loss \(Report.fixed(epochLoss, 4))  \(Report.fixed(Double(count) / max(time, 1e-9), 0)) samples/s")
        }
        var testResult: (loss: Double, accuracy: Double)?
        if let testPath = args.values["--test"] {
            let table = try Table.load(testPath, labels: args.values["--test-labels"], options: settings.csv)
            guard table.features.columns == features else {
                throw DataError(file: table.name, line: table.lines.first, message: "rows have \(table.features.columns) features, the training data has \(features)")
            }
            let x = normalization?.apply(to: table.features) ?? table.features
            testResult = trainer.network.evaluate(x, targets: regression ? try table.values() : try table.oneHot(classes: classes), loss: loss)
        }
        if args.has("--json") {
            console.out(Report.json(test: testResult, seconds: seconds, samplesPerSecond: Double(samples) / max(seconds, 1e-9), epochs: settings.epochs, regression: regression))
        } else if let testResult {
            console.out(Report.line("test", testResult, regression: regression) + "\n")
        }
        try save(trainer, normalization: normalization, classes: regression ? nil : classes, source: path, to: settings.save)
        console.note("saved the model to \(settings.save)")
        return 0
    }

    /// Saves the model with the metadata `evaluate`, `predict` and `info` read.
    static func save(_ trainer: Trainer, normalization: Normalization?, classes: [String]?, source: String, to path: String) throws {
        var metadata = ["task": classes == nil ? "regression" : "classification", "loss": "\(trainer.loss)", "trained-on": source]
        metadata["classes"] = classes?.joined(separator: ",")
        try trainer.modelFile(normalization: normalization, metadata: metadata).write(to: path)
    }

    static func defaultLoss(for output: Units) -> Loss {
        switch output {
        case .softmax: return .softmaxCrossEntropy
        case .activation(.sigmoid): return .sigmoidCrossEntropy
        default: return .meanSquaredError
        }
    }

    static func describe(_ network: Network) -> String {
        ([String(network.inputs)] + network.layers.map { "\($0.outputs) \($0.units)" }).joined(separator: " → ")
            + " (\(network.parameterCount) parameters)"
    }

    /// The parsed and validated options.
    struct Settings {
        var csv = CSVOptions()
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
        var seed: UInt64
        var threads: Int?
        var save: String

        /// A trainer for a new network of the chosen architecture (ReLU hidden
        /// units start with a bias of 0.01).
        func trainer(inputs: Int, outputs: Int) throws -> Trainer {
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

        init(_ args: Arguments) throws {
            csv = try DataOptions.csv(args)
            validationSplit = Double(try args.float("--validation-split", in: 0...0.99)!)
            let hiddenText = args.string("--hidden")!
            hidden = try hiddenText.split(separator: ",").map {
                guard let width = Int($0.trimmingCharacters), width >= 1 else {
                    throw UsageError(description: "option --hidden: '\(hiddenText)' is not a comma-separated list of widths ≥ 1")
                }
                return width
            }
            let activationName = args.string("--activation")!
            guard let activation = Units(activationName), activation != .softmax else {
                throw UsageError(description: "option --activation: '\(activationName)' is not a hidden activation (see mlp train --help)")
            }
            self.activation = activation
            let outputName = try args.choice("--output", ["softmax", "sigmoid", "linear"])!
            output = Units(outputName)!
            if let lossName = try args.choice("--loss", ["cross-entropy", "binary-cross-entropy", "mse", "sse", "hinge"]) {
                loss = ["cross-entropy": .softmaxCrossEntropy, "binary-cross-entropy": .sigmoidCrossEntropy, "mse": .meanSquaredError,
                        "sse": .sumOfSquares, "hinge": .multiclassHinge][lossName]
            }
            let lr = try args.float("--lr", in: 1e-12...1e6)!
            switch try args.choice("--optimizer", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])! {
            case "sgd": optimizer = .sgd(learningRate: lr)
            case "momentum": optimizer = .momentum(learningRate: lr)
            case "nesterov": optimizer = .nesterov(learningRate: lr)
            case "adagrad": optimizer = .adaGrad(learningRate: lr)
            case "rmsprop": optimizer = .rmsProp(learningRate: lr)
            case "adam": optimizer = .adam(learningRate: lr)
            default: optimizer = .adamW(learningRate: lr)
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
            seed = UInt64(try args.int("--seed", atLeast: 0)!)
            threads = args.values["--threads"] == nil ? nil : try args.int("--threads", atLeast: 1)
            save = args.string("--save")!
        }
    }
}

extension Substring {
    var trimmingCharacters: String { String(trimmed) }
}
