import Kernels
import MLP
import MLPData

/// `mlp train`: trains a network on a CSV/IDX file or the built-in digits and
/// reports, saves and plots the result.
enum TrainCommand {
    static let specs: [OptionSpec] =
        DataOptions.fileSpecs(train: "training data", test: "test data, same format as --train") + [
            OptionSpec(
                name: "--validation-split", value: "F", defaultValue: "0",
                help: "fraction of the training data held out for validation, in [0, 1); at least 10 samples and every class")
        ] + DataOptions.specs.filter { $0.name != "--threads" } + [
            OptionSpec(name: "--classes", value: "N", help: "treat the label as at most N classes even when it looks continuous"),
            OptionSpec(name: "--hidden", value: "N,N,…", defaultValue: "128", help: "hidden layer widths; empty for none"),
            OptionSpec(
                name: "--activation", value: "NAME", defaultValue: "relu",
                help: "hidden units: relu, leaky-relu, tanh, sigmoid, softplus, gelu, hard-sigmoid, identity, maxout(K)"),
            OptionSpec(name: "--output", value: "NAME", defaultValue: "softmax", help: "output units: softmax, sigmoid, or linear (regression)"),
            OptionSpec(
                name: "--loss", value: "NAME", defaultValue: "matches --output", help: "cross-entropy, binary-cross-entropy, mse, sse or hinge",
                defaultIsValue: false),
            OptionSpec(
                name: "--optimizer", value: "NAME", defaultValue: "adam", help: "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or delta-bar-delta"),
            OptionSpec(name: "--kappa", value: "F", defaultValue: "0.001", help: "delta-bar-delta: the increment of a rate whose gradient keeps its sign"),
            OptionSpec(
                name: "--phi", value: "F", defaultValue: "0.1", help: "delta-bar-delta: the fraction a rate loses when its gradient changes sign, in [0, 1]"),
            OptionSpec(name: "--theta", value: "F", defaultValue: "0.7", help: "delta-bar-delta: the weight of the past in the averaged gradient, in [0, 1]"),
            OptionSpec(name: "--lr", value: "F", defaultValue: "0.003", help: "learning rate"),
            OptionSpec(name: "--epochs", value: "N", defaultValue: "40", help: "passes over the training data"),
            OptionSpec(name: "--batch", value: "N", defaultValue: "32", help: "samples per step"),
            OptionSpec(name: "--l2", value: "F", defaultValue: "0.001", help: "L2 penalty (weight decay) coefficient"),
            OptionSpec(name: "--l1", value: "F", defaultValue: "0", help: "L1 penalty coefficient"),
            OptionSpec(name: "--dropout", value: "F", defaultValue: "0", help: "dropout probability on hidden layers, in [0, 1)"),
            OptionSpec(name: "--early-stopping", value: "PATIENCE", help: "stop after PATIENCE epochs without validation improvement, keep the best weights"),
            OptionSpec(
                name: "--stream",
                help: "read --train anew each epoch in chunks of 4096 rows instead of loading it (for files larger than memory; no validation split, no plot)"),
            OptionSpec(name: "--standardize", help: "standardize features (statistics are saved in the model; on by default for the built-in data)"),
            OptionSpec(name: "--seed", value: "N", defaultValue: "1", help: "seed for initialization, shuffling and dropout"),
            OptionSpec(name: "--threads", value: "N", defaultValue: "all processors", help: "threads for the kernels", defaultIsValue: false),
            OptionSpec(
                name: "--save", value: "FILE", defaultValue: "model.mlp", help: "where to save the trained model (written atomically; checked before training)"),
            OptionSpec(name: "--plot", value: "FILE.svg", help: "write loss and accuracy curves per epoch as SVG"),
            OptionSpec(name: "--json", help: "print only a JSON summary on stdout"),
            OptionSpec(name: "--quiet", help: "no progress output"),
            OptionSpec(name: "--help", help: "show this help"),
        ]

    static let summary = """
        Trains a multilayer perceptron. Without --train it trains on the built-in
        UCI optical digits (1347 training, 450 test images of 8×8 pixels).
        Ctrl-C stops at the end of the current step and saves the last
        completed epoch's model (the best by validation loss, with a validation set).
        """

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard
            let args = try Arguments.parse(
                command: "train", summary: summary, specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        let settings = try TrainSettings(args)
        if let threads = settings.threads { Threading.threadCount = threads }
        console.quiet = args.has("--quiet") || args.has("--json")
        let inputs = ["--train", "--train-labels", "--test", "--test-labels"].compactMap { args.values[$0] }
        try OutputCheck.writable(settings.save, option: "--save", inputs: inputs)
        if let plot = args.values["--plot"] { try OutputCheck.writable(plot, option: "--plot", inputs: inputs + [settings.save]) }
        Interrupt.install()
        if args.has("--stream") { return try stream(args, settings, console: &console) }

        // Data.
        let (training, testTable, builtin) = try DataOptions.tables(args, options: settings.csv, console: console)
        let classes = settings.regression ? nil : try withClassHint { try training.classes(expected: settings.classes) }
        if let classes, classes.count < 2 {
            throw DataError(
                file: training.name, message: "classification needs at least 2 classes; found \(classes.count) (for regression use --output linear)")
        }
        console.note(DataOptions.decisions(training, classes: classes))
        let normalization = settings.standardize || builtin ? Normalization(fitting: training.features) : nil
        func dataset(_ table: LabelledTable) throws -> Dataset {
            let x = try normalization?.apply(to: table.features) ?? table.features
            return try Dataset(inputs: x, targets: try classes.map { try table.oneHot(classes: $0) } ?? table.values())
        }
        var trainData = try dataset(training)
        var validation: Dataset?
        if settings.validationSplit > 0 {
            let whole = trainData
            (trainData, validation) = try whole.split(validationFraction: settings.validationSplit, seed: settings.seed)
            let option = "option --validation-split \(args.string("--validation-split")!)"
            if let problem = trainData.validationProblem(validation!, classification: false, fraction: settings.validationSplit) {
                throw UsageError(description: "\(option): the validation set has \(problem)")
            }
            if let classes, let missing = trainData.classesMissing(from: validation!).first {
                throw UsageError(
                    description:
                        "\(option): the validation set (\(validation!.count) samples) has no sample of class '\(classes[missing])'; every class must occur in it: use a larger split"
                )
            }
        }
        let testData = try testTable.map(dataset)

        let trainer = try settings.trainer(inputs: training.features.columns, outputs: classes?.count ?? 1)
        let network = trainer.network, loss = trainer.loss
        console.note(
            "training \(describe(network)) on \(trainData.count) samples of \(training.name)"
                + (validation.map { ", validating on \($0.count)" } ?? "")
                + ", \(trainer.optimizer.name) lr \(settings.optimizer.learningRate), \(settings.epochs) epochs of batch \(settings.batch)")

        var progress = ProgressDisplay(console: console)
        var snapshot = EpochSnapshot()
        let options = TrainingOptions(
            epochs: settings.epochs, batchSize: settings.batch, validation: validation,
            earlyStoppingPatience: settings.earlyStopping)
        let history: TrainingHistory
        do {
            history = try trainer.fit(trainData, options: options) { report in
                if report.isEpochEnd { snapshot.record(epoch: report.epoch, validationLoss: report.validationLoss, network: trainer.network) }
                return progress.update(report)
            }
        } catch let error as TrainingError {
            throw UsageError(description: "\(error)")
        }
        let layout = ModelFile.DataLayout(
            labelColumn: builtin ? "last" : training.layout.map { "\($0.labelColumn)" }, featureCount: training.features.columns, classes: classes)
        let metadata = ["task": classes == nil ? "regression" : "classification", "loss": "\(loss)", "trained-on": training.name]
        if Interrupt.isRequested {
            console.progress(console.isTerminal ? "\r\u{1B}[2K" : "")
            return try saveInterrupted(snapshot, normalization: normalization, metadata: metadata, layout: layout, settings: settings, console: console)
        }
        let trained = trainer.network

        // Report.
        let results = try [("train", trainData), ("validation", validation), ("test", testData)].compactMap { name, data in
            try data.map { (name, try trained.evaluate($0.inputs, targets: $0.targets, loss: loss)) }
        }
        let testResult = results.first { $0.0 == "test" }?.1
        let samplesPerSecond = Double(history.samples) / max(history.trainingSeconds, 1e-9)
        if args.has("--json") {
            console.out(Report.json(test: testResult, seconds: history.trainingSeconds, samplesPerSecond: samplesPerSecond, epochs: history.epochs.count))
        } else {
            var lines = [
                "",
                "trained in \(Report.fixed(history.trainingSeconds, 3)) s (\(Report.fixed(samplesPerSecond, 0)) samples/s), \(history.epochs.count) epochs, stopped: \(history.stopReason)",
            ]
            lines += results.map { Report.line($0.0, $0.1) }
            console.out(lines.joined(separator: "\n") + "\n")
            if let classes {
                let (name, data) = testData.map { ("test", $0) } ?? validation.map { ("validation", $0) } ?? ("train", trainData)
                console.out(
                    Report.classification(
                        name: name, predicted: try trained.predictClasses(data.inputs), expected: Report.labels(of: data.targets), classes: classes))
            }
        }

        // Save and plot.
        try trainer.modelFile(normalization: normalization, metadata: metadata, dataLayout: layout).write(to: settings.save)
        console.note("saved the model to \(settings.save)")
        if let plot = args.values["--plot"] {
            try Plot.curves(history, regression: classes == nil).write(to: plot)
            console.note("wrote the training curves to \(plot)")
        }
        return 0
    }

    /// `--stream`: training without loading the file (StreamingTraining).
    static func stream(_ args: Arguments, _ settings: TrainSettings, console: inout Console) throws -> Int32 {
        guard let path = args.values["--train"], !IDXReader.looksLikeIDX(path) else {
            throw UsageError(description: "option --stream needs a CSV file given with --train")
        }
        let streaming = StreamingTraining(reader: CSVReader(path: path, options: settings.csv), chunkRows: 4096)
        let survey = try withClassHint {
            try streaming.survey(regression: settings.regression, standardize: settings.standardize, expectedClasses: settings.classes)
        }
        let classes = survey.classes
        if let classes, classes.count < 2 {
            throw DataError(file: path, message: "classification needs at least 2 classes; found \(classes.count) (for regression use --output linear)")
        }
        console.note(
            DataOptions.decisions(
                name: path, rows: survey.rows, layout: survey.layout.summary,
                target: DataOptions.target(classes)))
        let trainer = try settings.trainer(inputs: survey.layout.featureCount, outputs: classes?.count ?? 1)
        console.note("streaming \(path) through \(describe(trainer.network))")
        var generator = Xoshiro256(seed: settings.seed)
        var seconds = 0.0, samples = 0, epochs = 0
        var snapshot = EpochSnapshot()
        for epoch in 0..<settings.epochs {
            let (epochLoss, count, time) = try streaming.epoch(
                trainer, batch: settings.batch, classes: classes, normalization: survey.normalization, generator: &generator)
            if Interrupt.isRequested { break }
            seconds += time
            samples += count
            epochs += 1
            snapshot.record(epoch: epoch, validationLoss: nil, network: trainer.network)
            console.note(
                "epoch \(epoch + 1)/\(settings.epochs)  loss \(Report.fixed(epochLoss, 4))  \(Report.fixed(Double(count) / max(time, 1e-9), 0)) samples/s")
        }
        let layout = ModelFile.DataLayout(labelColumn: "\(settings.csv.labelColumn)", featureCount: survey.layout.featureCount, classes: classes)
        let metadata = ["task": classes == nil ? "regression" : "classification", "loss": "\(trainer.loss)", "trained-on": path]
        if Interrupt.isRequested {
            return try saveInterrupted(snapshot, normalization: survey.normalization, metadata: metadata, layout: layout, settings: settings, console: console)
        }
        var testResult: Evaluation?
        if let testPath = args.values["--test"] {
            let table = try DataOptions.load(testPath, labels: args.values["--test-labels"], options: settings.csv, console: console)
            guard table.features.columns == survey.layout.featureCount else {
                throw DataError(
                    file: table.name, line: table.lines.first,
                    message: "rows have \(table.features.columns) features, the training data has \(survey.layout.featureCount)")
            }
            let x = try survey.normalization?.apply(to: table.features) ?? table.features
            testResult = try trainer.network.evaluate(x, targets: try classes.map { try table.oneHot(classes: $0) } ?? table.values(), loss: trainer.loss)
        }
        if args.has("--json") {
            console.out(Report.json(test: testResult, seconds: seconds, samplesPerSecond: Double(samples) / max(seconds, 1e-9), epochs: epochs))
        } else if let testResult {
            console.out(Report.line("test", testResult) + "\n")
        }
        try trainer.modelFile(normalization: survey.normalization, metadata: metadata, dataLayout: layout).write(to: settings.save)
        console.note("saved the model to \(settings.save)")
        return 0
    }

    /// After Ctrl-C: saves the snapshot's model (with `metadata` saying so)
    /// and returns the exit status, 130.
    static func saveInterrupted(
        _ snapshot: EpochSnapshot, normalization: Normalization?, metadata: [String: String], layout: ModelFile.DataLayout,
        settings: TrainSettings, console: Console
    ) throws -> Int32 {
        guard let kept = snapshot.network else {
            console.error("mlp: interrupted during the first epoch; nothing saved")
            return 130
        }
        var metadata = metadata
        metadata["interrupted"] = "after epoch \(snapshot.epoch + 1) of \(settings.epochs)"
        try ModelFile(network: kept, normalization: normalization, metadata: metadata, dataLayout: layout).write(to: settings.save)
        console.error(
            "mlp: interrupted; saved the model of epoch \(snapshot.epoch + 1)\(snapshot.byValidation ? " (the best by validation loss)" : " (the last completed)") to \(settings.save)"
        )
        return 130
    }

    /// Runs `body`; a label column that looks continuous gets the options that settle it.
    static func withClassHint<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as DataError where error.message.contains("looks continuous") {
            error.message += "; for regression use --output linear, to keep it as classes give --classes N"
            throw error
        }
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
}

/// The network to save if training is interrupted: the last completed
/// epoch's, or with a validation set the one with the lowest validation loss.
struct EpochSnapshot {
    private(set) var network: Network?
    private(set) var epoch = 0
    private(set) var byValidation = false
    private var best = Double.infinity

    /// Keeps the network of the epoch that just ended (0-based) if it is the
    /// last one, or the best one by validation loss.
    mutating func record(epoch: Int, validationLoss: Double?, network current: @autoclosure () -> Network) {
        if let loss = validationLoss {
            guard loss < best else { return }
            best = loss
            byValidation = true
        }
        network = current()
        self.epoch = epoch
    }
}
