import Kernels
import MLP
import MLPData

/// `mlp evaluate`: loss, accuracy and confusion matrix of a saved model on a test file.
enum EvaluateCommand {
    static let specs =
        [
            OptionSpec(name: "--model", value: "FILE", defaultValue: "model.mlp", help: "the model to evaluate"),
            OptionSpec(
                name: "--test", value: "FILE", defaultValue: "built-in digits test split", help: "test data: CSV, or IDX images with --test-labels",
                defaultIsValue: false),
            OptionSpec(name: "--test-labels", value: "FILE", help: "IDX labels file for IDX test images"),
        ] + DataOptions.specs.map(EvaluateCommand.fromModel) + [
            OptionSpec(name: "--json", help: "print only a JSON summary on stdout"),
            OptionSpec(name: "--help", help: "show this help"),
        ]

    /// A data option as `evaluate` and `predict` document it: the label
    /// column defaults to the model's.
    static func fromModel(_ spec: OptionSpec) -> OptionSpec {
        guard spec.name == "--label-column" else { return spec }
        var changed = spec
        changed.defaultValue = "the model's (last for older models)"
        changed.defaultIsValue = false
        return changed
    }

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard
            let args = try Arguments.parse(
                command: "evaluate", summary: "Evaluates a saved model on labelled data.", specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        var csv = try DataOptions.csv(args)
        let (file, classes) = try DataOptions.model(args.string("--model")!)
        csv.labelColumn = DataOptions.labelColumn(args, for: file)
        let table =
            try args.values["--test"].map { try DataOptions.load($0, labels: args.values["--test-labels"], options: csv, console: console) }
            ?? BuiltinDigits.table(.test)
        let x = try DataOptions.inputs(table, for: file)
        let targets = try classes.map { try table.oneHot(classes: $0) } ?? table.values()
        let loss = Loss.allCases.first { "\($0)" == file.metadata["loss"] } ?? (classes == nil ? .meanSquaredError : .softmaxCrossEntropy)
        let result = try file.network.evaluate(x, targets: targets, loss: loss)
        if args.has("--json") {
            let accuracy = result.accuracy.map(Report.number) ?? "null"
            let regression = result.regression.map { ",\"test_mae\":\(Report.number($0.meanAbsoluteError)),\"test_r2\":\(Report.number($0.r2))" } ?? ""
            console.out("{\"test_accuracy\":\(accuracy),\"test_loss\":\(Report.number(result.loss))\(regression),\"samples\":\(table.count)}\n")
            return 0
        }
        if table.layout != nil { console.note(DataOptions.decisions(table, classes: classes)) }
        console.out(Report.line("test", result) + "  (\(table.count) samples of \(table.name))\n")
        if let classes {
            console.out(
                Report.classification(name: "test", predicted: try file.network.predictClasses(x), expected: Report.labels(of: targets), classes: classes))
        }
        return 0
    }
}

/// `mlp predict`: outputs of a saved model for each row of a file.
enum PredictCommand {
    static let specs =
        [
            OptionSpec(name: "--model", value: "FILE", defaultValue: "model.mlp", help: "the model to run"),
            OptionSpec(
                name: "--input", value: "FILE", help: "rows to predict (CSV: features only, or features and the label where the model's training data had it)"),
            OptionSpec(name: "--input-labels", value: "FILE", help: "IDX labels file when --input is IDX images (ignored for prediction)"),
            OptionSpec(name: "--probabilities", help: "also print each class's probability"),
        ] + DataOptions.specs.map(EvaluateCommand.fromModel) + [OptionSpec(name: "--help", help: "show this help")]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard
            let args = try Arguments.parse(
                command: "predict", summary: "Prints one prediction per input row: the class (or value), optionally with probabilities.", specs: specs,
                arguments: arguments, console: &console)
        else { return 0 }
        guard let path = args.values["--input"] else { throw UsageError(description: "option --input is required (a CSV of feature rows)") }
        var csv = try DataOptions.csv(args)
        let (file, classes) = try DataOptions.model(args.string("--model")!)
        if !IDXReader.looksLikeIDX(path) {
            // A row carries a label when it has one field more than the model's features.
            csv.labelColumn = .none
            let fields = try CSVReader(path: path, options: csv).layout().fieldCount
            csv.labelColumn = fields == file.network.inputs + 1 ? DataOptions.labelColumn(args, for: file) : .none
        }
        let table = try DataOptions.load(path, labels: args.values["--input-labels"], options: csv, console: console)
        let x = try DataOptions.inputs(table, for: file)
        let outputs = try file.network.predict(x)
        let predicted = try file.network.predictClasses(x)
        var lines: [String] = []
        if let classes {
            lines.append((["class"] + (args.has("--probabilities") ? classes.map { "p(\($0))" } : [])).joined(separator: ","))
            for i in 0..<table.count {
                let probabilities = args.has("--probabilities") ? (0..<outputs.columns).map { Report.fixed(Double(outputs[i, $0]), 6) } : []
                lines.append(([classes[min(predicted[i], classes.count - 1)]] + probabilities).joined(separator: ","))
            }
        } else {
            lines.append("value")
            for i in 0..<table.count { lines.append("\(outputs[i, 0])") }
        }
        console.out(lines.joined(separator: "\n") + "\n")
        return 0
    }
}

/// `mlp info`: what a saved model is.
enum InfoCommand {
    static let specs = [
        OptionSpec(name: "--model", value: "FILE", defaultValue: "model.mlp", help: "the model to describe"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard
            let args = try Arguments.parse(
                command: "info", summary: "Describes a saved model: architecture, parameters, normalization, metadata, training state.", specs: specs,
                arguments: arguments, console: &console)
        else { return 0 }
        let path = args.string("--model")!
        let file = try ModelFile.read(from: path)
        var lines = [
            "model file \(path) (format version \(file.formatVersion))",
            "network: \(TrainCommand.describe(file.network))",
        ]
        for (l, layer) in file.network.layers.enumerated() {
            lines.append("  layer \(l): \(layer.inputs) → \(layer.outputs) \(layer.units)\(layer.bias == nil ? ", no bias" : "")")
        }
        lines.append("input normalization: " + (file.normalization.map { "standardized, \($0.mean.count) features" } ?? "none"))
        if let layout = file.dataLayout {
            lines.append("data: \(layout.featureCount) features, label column \(layout.labelColumn ?? "unknown (version 1 file)")")
            if let classes = layout.classes { lines.append("classes: \(classes.joined(separator: ","))") }
        }
        for key in file.metadata.keys.sorted() { lines.append("\(key): \(file.metadata[key]!)") }
        if let training = file.training {
            lines.append("training state: \(training.optimizer), step \(training.step), loss \(training.loss)")
        }
        console.out(lines.joined(separator: "\n") + "\n")
        return 0
    }
}

/// `mlp convert`: between model files and safetensors (PyTorch's layout).
enum ConvertCommand {
    static let specs = [
        OptionSpec(name: "--model", value: "FILE", help: "a model file to export"),
        OptionSpec(name: "--from", value: "FILE.safetensors", help: "a safetensors file to import"),
        OptionSpec(
            name: "--units", value: "U,U,…", help: "each layer's units when importing, e.g. relu,softmax (default: the file's metadata)", defaultIsValue: false),
        OptionSpec(name: "--to", value: "FILE", help: "the file to write: .safetensors when exporting, a model file when importing"),
        OptionSpec(name: "--keep-normalization", help: "store input standardization as tensors instead of folding it into the first layer"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard
            let args = try Arguments.parse(
                command: "convert", summary: "Exports a model's weights as safetensors, or imports safetensors (layers.<l>.weight/.bias) as a model file.",
                specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        guard let destination = args.values["--to"] else { throw UsageError(description: "option --to is required") }
        try OutputCheck.writable(destination, option: "--to", inputs: [args.values["--model"], args.values["--from"]].compactMap { $0 })
        switch (args.values["--model"], args.values["--from"]) {
        case (let model?, nil):
            let file = try ModelFile.read(from: model)
            try file.writeSafetensors(to: destination, keepNormalization: args.has("--keep-normalization"))
            if file.normalization != nil {
                console.note(
                    args.has("--keep-normalization")
                        ? "input standardization stored as tensors normalization.mean and normalization.scale"
                        : "input standardization folded into the first layer: the tensors take raw inputs")
            }
        case (nil, let source?):
            let units = try args.values["--units"].map { text in
                try text.split(separator: ",").map {
                    guard let units = Units(String($0)) else { throw UsageError(description: "option --units: '\($0)' is not a kind of units") }
                    return units
                }
            }
            if args.has("--keep-normalization") {
                throw UsageError(description: "option --keep-normalization applies to exports (--model), not imports")
            }
            try ModelFile(safetensorsAt: source, units: units).write(to: destination)
        default:
            throw UsageError(description: "give either --model (export) or --from (import)")
        }
        console.note("wrote \(destination)")
        return 0
    }
}
