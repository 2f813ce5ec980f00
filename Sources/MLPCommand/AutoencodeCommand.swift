import Kernels
import MLP
import MLPData

/// `mlp autoencode`: train an autoencoder with `mlp train`'s options and
/// compare its reconstruction error with PCA's at the same code size, on the
/// same data and split (Docs/CLI.md, Docs/PCA.md).
enum AutoencodeCommand {
    /// `mlp train`'s options that apply, with the defaults an autoencoder needs.
    static let specs: [OptionSpec] = {
        let kept = [
            "--train", "--train-labels", "--test", "--test-labels", "--validation-split", "--label-column", "--delimiter", "--header",
            "--no-header", "--missing", "--activation", "--optimizer", "--kappa", "--phi", "--theta", "--lr", "--epochs", "--batch", "--l2",
            "--l1", "--dropout", "--early-stopping", "--standardize", "--seed", "--threads",
        ]
        let defaults = ["--epochs": "100", "--l2": "0"]
        let train = TrainCommand.specs.filter { kept.contains($0.name) }.map { spec -> OptionSpec in
            var spec = spec
            if let value = defaults[spec.name] { spec.defaultValue = value }
            if spec.name == "--test" { spec.help = "held-out data for the reconstruction errors (default with --train: the validation split, if any)" }
            if spec.name == "--standardize" { spec.help = "standardize features (errors are then in standardized units; saved in the model)" }
            return spec
        }
        return [
            OptionSpec(name: "--code", value: "M", defaultValue: "2", help: "code units, the autoencoder's and PCA's M"),
            OptionSpec(name: "--hidden", value: "N,N,…", defaultValue: "128,32", help: "encoder hidden widths, input side first; the decoder mirrors them"),
            OptionSpec(name: "--tied", help: "tie each decoder layer's weights to the transpose of its mirror encoder layer"),
        ] + train + [
            OptionSpec(name: "--out", value: "FILE.csv", help: "write the codes of the training samples, the label in its input position"),
            OptionSpec(name: "--plot", value: "FILE.svg", help: "draw code 1 against code 2, coloured by label"),
            OptionSpec(name: "--save", value: "FILE", help: "save the autoencoder as a model file (with its standardization and training state)"),
            OptionSpec(
                name: "--json", help: "print only {\"code\",\"train_reconstruction_error\",\"test_reconstruction_error\",\"pca_test_reconstruction_error\"}"),
            OptionSpec(name: "--quiet", help: "no progress output"),
            OptionSpec(name: "--help", help: "show this help"),
        ]
    }()

    static let summary = """
        Trains an autoencoder (inputs → hidden → code → mirrored hidden → inputs,
        mean squared error, identity code and output units) and reports its
        reconstruction error on the training and test data next to PCA's with
        as many components: the mean over samples of the squared distance
        between a sample and its reconstruction. Without --train it uses the
        built-in UCI digits and their test split. Ctrl-C stops at the end of the
        current step and saves (with --save) the last completed epoch's model.
        """

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(command: "autoencode", summary: summary, specs: specs, arguments: arguments, console: &console) else { return 0 }
        console.quiet = args.has("--quiet") || args.has("--json")
        let settings = try TrainSettings(args)
        let code = try args.int("--code", atLeast: 1)!
        if args.values["--plot"] != nil, code < 2 { throw UsageError(description: "option --plot draws code 1 against code 2 and needs --code 2 or more") }
        try DataOptions.checkOutputs(args, ["--out", "--plot", "--save"])
        Interrupt.install()

        // Data: the training table, and the held-out rows the errors are reported on.
        let (training, testTable, _) = try DataOptions.tables(args, options: settings.csv, console: console)
        console.note(DataOptions.decisions(training, target: PCACommand.labelNote(training)))
        let normalization = settings.standardize ? Normalization(fitting: training.features) : nil
        let x = try normalization?.apply(to: training.features) ?? training.features
        var fitted = try Dataset(inputs: x, targets: x)
        var validation: Dataset?
        if settings.validationSplit > 0 {
            (fitted, validation) = try fitted.split(validationFraction: settings.validationSplit, seed: settings.seed)
            if let problem = fitted.validationProblem(validation!, classification: false, fraction: settings.validationSplit) {
                throw UsageError(description: "option --validation-split \(args.string("--validation-split")!): the validation set has \(problem)")
            }
        }
        let held = try testTable.map { try normalization?.apply(to: $0.features) ?? $0.features } ?? validation?.inputs
        let heldName = testTable?.name ?? "the validation split"

        // PCA with as many components, on the same rows.
        let pca: PCA
        do {
            pca = try PCA(fitting: fitted.inputs, components: code)
        } catch {
            throw DataError(file: training.name, message: "\(error)")
        }

        // The autoencoder.
        let untrained: Autoencoder
        let trainer: Trainer
        do {
            untrained = try Autoencoder(
                inputs: x.columns, code: code, hidden: settings.hidden, activation: settings.activation, tiedWeights: args.has("--tied"), seed: settings.seed)
            trainer = try untrained.trainer(
                optimizer: settings.optimizer, regularization: Regularization(l2: settings.l2, l1: settings.l1, dropout: settings.dropout), seed: settings.seed)
        } catch let error as TrainingError {
            throw UsageError(description: "\(error)")
        }
        console.note(
            "training the autoencoder \(TrainCommand.describe(untrained.network))\(args.has("--tied") ? ", weights tied" : "") on \(fitted.count) samples"
                + (validation.map { ", validating on \($0.count)" } ?? "")
                + ", \(settings.optimizer.name) lr \(settings.optimizer.learningRate), \(settings.epochs) epochs of batch \(settings.batch)")
        var progress = ProgressDisplay(console: console)
        var snapshot = EpochSnapshot()
        let history: TrainingHistory
        do {
            history = try trainer.fit(
                fitted,
                options: TrainingOptions(
                    epochs: settings.epochs, batchSize: settings.batch, validation: validation, earlyStoppingPatience: settings.earlyStopping)
            ) { report in
                if report.isEpochEnd { snapshot.record(epoch: report.epoch, validationLoss: report.validationLoss, network: trainer.network) }
                return progress.update(report)
            }
        } catch let error as TrainingError {
            throw UsageError(description: "\(error)")
        }
        let layout = ModelFile.DataLayout(labelColumn: training.layout.map { "\($0.labelColumn)" }, featureCount: x.columns, classes: nil)
        let metadata = untrained.metadata.merging(["loss": "\(Loss.meanSquaredError)", "trained-on": training.name]) { $1 }
        if Interrupt.isRequested {
            console.progress(console.isTerminal ? "\r\u{1B}[2K" : "")
            guard !settings.save.isEmpty else {
                console.error("mlp: interrupted; nothing saved (no --save)")
                return 130
            }
            return try TrainCommand.saveInterrupted(
                snapshot, normalization: normalization, metadata: metadata, layout: layout, settings: settings, console: console)
        }
        let autoencoder = try untrained.updated(from: trainer)

        // Report.
        let errors = (
            train: try autoencoder.reconstructionError(fitted.inputs), test: try held.map { try autoencoder.reconstructionError($0) },
            pcaTrain: try pca.reconstructionError(fitted.inputs), pcaTest: try held.map { try pca.reconstructionError($0) }
        )
        if args.has("--json") {
            console.out(
                "{\"code\":\(code),\"train_reconstruction_error\":\(Report.number(errors.train)),\"test_reconstruction_error\":\(errors.test.map(Report.number) ?? "null"),\"pca_test_reconstruction_error\":\(errors.pcaTest.map(Report.number) ?? "null")}\n"
            )
        } else {
            let rows = [("autoencoder", errors.train, errors.test), ("PCA, \(code) component\(code == 1 ? "" : "s")", errors.pcaTrain, errors.pcaTest)]
            var lines = [
                "", "trained in \(Report.fixed(history.trainingSeconds, 3)) s, \(history.epochs.count) epochs, stopped: \(history.stopReason)",
                "reconstruction error (mean squared residual per sample\(normalization == nil ? "" : ", standardized units")), on the training data"
                    + (held == nil ? "" : " and on \(heldName)") + ":",
            ]
            for (name, train, test) in rows {
                lines.append(
                    Report.leftAligned(name, 20) + Report.pad(Report.significant(train), 10)
                        + (test.map { "  " + Report.pad(Report.significant($0), 10) } ?? ""))
            }
            console.out(lines.joined(separator: "\n") + "\n")
        }

        // Outputs.
        if let path = args.values["--out"] {
            let codes = try autoencoder.encode(x)
            try AtomicFile.write(Array(PCACommand.projectedCSV(codes, table: training, prefix: "code").utf8), to: path)
            console.note("wrote the codes of \(codes.rows) samples to \(path)")
        }
        if let path = args.values["--plot"] {
            let codes = try autoencoder.encode(x)
            let plot = ScatterPlot(
                x: (0..<codes.rows).map { Double(codes[$0, 0]) }, y: (0..<codes.rows).map { Double(codes[$0, 1]) },
                labels: PCACommand.carriedLabels(training),
                title: "\(training.name): autoencoder codes", xLabel: "code 1", yLabel: "code 2")
            try plot.write(to: path)
            console.note("wrote code 1 against code 2 to \(path)")
        }
        if let path = args.values["--save"] {
            try trainer.modelFile(normalization: normalization, metadata: metadata, dataLayout: layout).write(to: path)
            console.note("saved the autoencoder to \(path)")
        }
        return 0
    }
}
