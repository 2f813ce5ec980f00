import Kernels
import MLP

/// Options every command that reads data shares.
enum DataOptions {
    static let specs: [OptionSpec] = [
        OptionSpec(name: "--label-column", value: "N|first|last", defaultValue: "first", help: "which CSV column holds the label (N counts from 1)"),
        OptionSpec(name: "--delimiter", value: "C", defaultValue: "detected", help: "CSV field delimiter, e.g. ',' ';' 'tab'", defaultIsValue: false),
        OptionSpec(name: "--header", help: "the CSV's first line is a header (default: detected)"),
        OptionSpec(name: "--no-header", help: "the CSV has no header line"),
        OptionSpec(name: "--threads", value: "N", defaultValue: "all processors", help: "threads for the kernels", defaultIsValue: false),
    ]

    static func csv(_ args: Arguments, defaultLabel: LabelColumn = .first) throws -> CSVOptions {
        var options = CSVOptions(labelColumn: defaultLabel)
        if let text = args.values["--label-column"] {
            guard let column = LabelColumn(text) else { throw UsageError(description: "option --label-column: '\(text)' is not first, last, none or a column number ≥ 1") }
            options.labelColumn = column
        }
        if let text = args.values["--delimiter"] {
            let value = text == "tab" ? "\t" : text
            guard value.count == 1 else { throw UsageError(description: "option --delimiter: '\(text)' is not one character (or 'tab')") }
            options.delimiter = value.first
        }
        if args.has("--header") && args.has("--no-header") { throw UsageError(description: "options --header and --no-header contradict each other") }
        options.header = args.has("--header") ? true : (args.has("--no-header") ? false : nil)
        if args.values["--threads"] != nil { Threading.threadCount = try args.int("--threads", atLeast: 1)! }
        return options
    }

    /// The model file and the facts the command needs from its metadata.
    static func model(_ path: String) throws -> (file: ModelFile, classes: [String]?) {
        let file = try ModelFile.read(from: path)
        if let names = file.metadata["classes"] { return (file, names.split(separator: ",").map(String.init)) }
        // An imported model has no metadata: softmax or sigmoid outputs are
        // classes 0…k−1, anything else is regression.
        let output = file.network.layers[file.network.layers.count - 1].units
        let classifies = file.metadata["task"] != "regression" && (output == .softmax || output == .activation(.sigmoid))
        return (file, classifies ? (0..<max(2, file.network.outputs)).map(String.init) : nil)
    }

    /// A table's features checked against the model and standardized as in training.
    static func inputs(_ table: Table, for file: ModelFile) throws -> Matrix {
        guard table.features.columns == file.network.inputs else {
            throw DataError(file: table.name, line: table.lines.first, message: "rows have \(table.features.columns) features, the model takes \(file.network.inputs)")
        }
        return file.normalization?.apply(to: table.features) ?? table.features
    }
}

/// `mlp evaluate`: loss, accuracy and confusion matrix of a saved model on a test file.
enum EvaluateCommand {
    static let specs = [
        OptionSpec(name: "--model", value: "FILE", defaultValue: "model.mlp", help: "the model to evaluate"),
        OptionSpec(name: "--test", value: "FILE", defaultValue: "built-in digits test split", help: "test data: CSV, or IDX images with --test-labels", defaultIsValue: false),
        OptionSpec(name: "--test-labels", value: "FILE", help: "IDX labels file for IDX test images"),
    ] + DataOptions.specs + [
        OptionSpec(name: "--json", help: "print only a JSON summary on stdout"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(
            command: "evaluate", summary: "Evaluates a saved model on labelled data.", specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        let csv = try DataOptions.csv(args)
        let (file, classes) = try DataOptions.model(args.string("--model")!)
        let table = try args.values["--test"].map { try Table.load($0, labels: args.values["--test-labels"], options: csv) }
            ?? Table.builtin(BuiltinDigits.testCSV, name: "built-in digits (test)")
        let x = try DataOptions.inputs(table, for: file)
        let targets = try classes.map { try table.oneHot(classes: $0) } ?? table.values()
        let loss = Loss.allCases.first { "\($0)" == file.metadata["loss"] } ?? (classes == nil ? .meanSquaredError : .softmaxCrossEntropy)
        let result = file.network.evaluate(x, targets: targets, loss: loss)
        if args.has("--json") {
            let accuracy = classes == nil ? "null" : Report.number(result.accuracy)
            console.out("{\"test_accuracy\":\(accuracy),\"test_loss\":\(Report.number(result.loss)),\"samples\":\(table.count)}\n")
            return 0
        }
        console.out(Report.line("test", result, regression: classes == nil) + "  (\(table.count) samples of \(table.name))\n")
        if let classes {
            console.out(Report.classification(name: "test", predicted: file.network.predictClasses(x), expected: Report.labels(of: targets), classes: classes))
        }
        return 0
    }
}

/// `mlp predict`: outputs of a saved model for each row of a file.
enum PredictCommand {
    static let specs = [
        OptionSpec(name: "--model", value: "FILE", defaultValue: "model.mlp", help: "the model to run"),
        OptionSpec(name: "--input", value: "FILE", help: "rows to predict (CSV: features only unless --label-column is given)"),
        OptionSpec(name: "--input-labels", value: "FILE", help: "IDX labels file when --input is IDX images (ignored for prediction)"),
        OptionSpec(name: "--probabilities", help: "also print each class's probability"),
    ] + DataOptions.specs + [OptionSpec(name: "--help", help: "show this help")]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(
            command: "predict", summary: "Prints one prediction per input row: the class (or value), optionally with probabilities.", specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        guard let path = args.values["--input"] else { throw UsageError(description: "option --input is required (a CSV of feature rows)") }
        let csv = try DataOptions.csv(args, defaultLabel: .none)
        let (file, classes) = try DataOptions.model(args.string("--model")!)
        let table = try Table.load(path, labels: args.values["--input-labels"], options: csv)
        let outputs = file.network.predict(try DataOptions.inputs(table, for: file))
        let predicted = file.network.predictClasses(try DataOptions.inputs(table, for: file))
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
        guard let args = try Arguments.parse(
            command: "info", summary: "Describes a saved model: architecture, parameters, normalization, metadata, training state.", specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        let path = args.string("--model")!
        let file = try ModelFile.read(from: path)
        var lines = ["model file \(path) (format version \(ModelFile.version))",
                     "network: \(TrainCommand.describe(file.network))"]
        for (l, layer) in file.network.layers.enumerated() {
            lines.append("  layer \(l): \(layer.inputs) → \(layer.outputs) \(layer.units)\(layer.bias == nil ? ", no bias" : "")")
        }
        lines.append("input normalization: " + (file.normalization.map { "standardized, \($0.mean.count) features" } ?? "none"))
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
        OptionSpec(name: "--units", value: "U,U,…", help: "each layer's units when importing, e.g. relu,softmax (default: the file's metadata)", defaultIsValue: false),
        OptionSpec(name: "--to", value: "FILE", help: "the file to write: .safetensors when exporting, a model file when importing"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(
            command: "convert", summary: "Exports a model's weights as safetensors, or imports safetensors (layers.<l>.weight/.bias) as a model file.", specs: specs, arguments: arguments, console: &console)
        else { return 0 }
        guard let destination = args.values["--to"] else { throw UsageError(description: "option --to is required") }
        switch (args.values["--model"], args.values["--from"]) {
        case (let model?, nil):
            try ModelFile.read(from: model).network.writeSafetensors(to: destination)
        case (nil, let source?):
            let units = try args.values["--units"].map { text in
                try text.split(separator: ",").map {
                    guard let units = Units(String($0)) else { throw UsageError(description: "option --units: '\($0)' is not a kind of units") }
                    return units
                }
            }
            try ModelFile(network: try Network(safetensorsAt: source, units: units)).write(to: destination)
        default:
            throw UsageError(description: "give either --model (export) or --from (import)")
        }
        console.note("wrote \(destination)")
        return 0
    }
}
