import Dispatch
import Kernels
import MLP
import MLPData

/// Options every command that reads data shares, and reading with them.
enum DataOptions {
    static let specs: [OptionSpec] = [
        OptionSpec(
            name: "--label-column", value: "N|first|last|NAME", defaultValue: "last",
            help: "which CSV column holds the label (N counts from 1; NAME: a header name)"),
        OptionSpec(name: "--delimiter", value: "C", defaultValue: "detected", help: "CSV field delimiter, e.g. ',' ';' 'tab'", defaultIsValue: false),
        OptionSpec(name: "--header", help: "the CSV's first line is a header (default: detected)"),
        OptionSpec(name: "--no-header", help: "the CSV has no header line"),
        OptionSpec(name: "--missing", value: "error|drop|mean", defaultValue: "error", help: "what to do with empty, NA, NaN, null or ? fields"),
        OptionSpec(name: "--threads", value: "N", defaultValue: "all processors", help: "threads for the kernels", defaultIsValue: false),
    ]

    /// `--train`, `--test` and their IDX labels files; `train` and `test` say what each holds.
    static func fileSpecs(train: String, test: String) -> [OptionSpec] {
        [
            OptionSpec(
                name: "--train", value: "FILE", defaultValue: "built-in UCI digits", help: "\(train): CSV, or IDX images with --train-labels",
                defaultIsValue: false),
            OptionSpec(name: "--train-labels", value: "FILE", help: "IDX labels file for IDX training images"),
            OptionSpec(name: "--test", value: "FILE", defaultValue: "built-in digits test split with the built-in data", help: test, defaultIsValue: false),
            OptionSpec(name: "--test-labels", value: "FILE", help: "IDX labels file for IDX test images"),
        ]
    }

    /// The training table (`--train`, or the built-in digits) and the test
    /// table (`--test`, or the built-in test split with the built-in data),
    /// the test table checked to have as many features.
    static func tables(_ args: Arguments, options: CSVOptions, console: Console) throws -> (training: LabelledTable, test: LabelledTable?, builtin: Bool) {
        let builtin = args.values["--train"] == nil
        let training =
            try builtin ? BuiltinDigits.table(.train) : load(args.values["--train"]!, labels: args.values["--train-labels"], options: options, console: console)
        var test: LabelledTable?
        if let path = args.values["--test"] {
            test = try load(path, labels: args.values["--test-labels"], options: options, console: console)
        } else if builtin {
            test = BuiltinDigits.table(.test)
        }
        if let test, test.features.columns != training.features.columns {
            throw DataError(
                file: test.name, line: test.lines.first,
                message: "rows have \(test.features.columns) features, the training data has \(training.features.columns)")
        }
        return (training, test, builtin)
    }

    /// Checks the output files of `options` that were given, before any work
    /// (``OutputCheck``): none may be an input file or another output.
    static func checkOutputs(_ args: Arguments, _ options: [String]) throws {
        var taken = ["--train", "--train-labels", "--test", "--test-labels"].compactMap { args.values[$0] }
        for option in options {
            guard let path = args.values[option] else { continue }
            try OutputCheck.writable(path, option: option, inputs: taken)
            taken.append(path)
        }
    }

    /// The CSV options; the label column is `defaultLabel` unless given.
    static func csv(_ args: Arguments, defaultLabel: LabelColumn = .last) throws -> CSVOptions {
        var options = CSVOptions(labelColumn: defaultLabel)
        if let text = args.values["--label-column"] {
            guard !text.isEmpty, text != "0" else {
                throw UsageError(description: "option --label-column: '\(text)' is not first, last, none, a column number ≥ 1 or a header name")
            }
            options.labelColumn = LabelColumn(text)
        }
        if let text = args.values["--delimiter"] {
            let value = text == "tab" ? "\t" : text
            guard value.count == 1, value.first!.isASCII else {
                throw UsageError(description: "option --delimiter: '\(text)' is not one ASCII character (or 'tab')")
            }
            options.delimiter = value.first
        }
        if args.has("--header") && args.has("--no-header") { throw UsageError(description: "options --header and --no-header contradict each other") }
        options.header = args.has("--header") ? true : (args.has("--no-header") ? false : nil)
        if case .named = options.labelColumn, options.header == false {
            throw UsageError(description: "options --label-column \(options.labelColumn) and --no-header contradict each other: a column name needs a header")
        }
        options.missing = MissingValues(rawValue: try args.choice("--missing", MissingValues.allCases.map(\.rawValue)) ?? "error")!
        if args.values["--threads"] != nil { Threading.threadCount = try args.int("--threads", atLeast: 1)! }
        return options
    }

    /// Reads a CSV file, or an IDX images file with its labels file; a read
    /// that takes over a second shows its progress on standard error.
    static func load(_ path: String, labels labelsPath: String?, options: CSVOptions, console: Console) throws -> LabelledTable {
        if IDXReader.looksLikeIDX(path) {
            guard let labelsPath else {
                throw DataError(file: path, message: "an IDX images file needs its labels file (--train-labels / --test-labels)")
            }
            return try IDXReader.read(images: path, labels: labelsPath)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var shown = false
        let table = try CSVReader(path: path, options: options).read { read, total in
            guard DispatchTime.now().uptimeNanoseconds - start > 1_000_000_000, total > 0 else { return }
            let line = "reading \(path): \(read * 100 / total)% of \(total >> 20) MiB"
            if console.isTerminal {
                console.progress("\r\u{1B}[2K" + line)
            } else if !shown {
                console.note(line)
            }
            shown = true
        }
        if shown {
            console.progress(
                (console.isTerminal ? "\r\u{1B}[2K" : "")
                    + "read \(path) in \(Report.fixed(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9, 1)) s\n")
        }
        return table
    }

    /// The one line that says what was decided about a table.
    static func decisions(_ table: LabelledTable, classes: [String]?) -> String {
        decisions(table, target: target(classes))
    }

    /// What the decision line says of the label: its classes, or a regression target.
    static func target(_ classes: [String]?) -> String {
        classes.map { "\($0.count) classes: \(ClassLabels.summary($0))" } ?? "regression target"
    }

    /// The same line with `target` saying what the label is used for.
    static func decisions(_ table: LabelledTable, target: String) -> String {
        decisions(
            name: table.name, rows: table.count, layout: table.layout?.summary ?? "IDX images, \(table.features.columns) features",
            dropped: table.droppedRows, filled: table.filledValues, target: target)
    }

    /// The same line from its parts (`--stream` has no table).
    static func decisions(name: String, rows: Int, layout: String, dropped: Int = 0, filled: Int = 0, target: String) -> String {
        var parts = ["\(name): \(rows) rows", layout]
        if dropped > 0 { parts.append("\(dropped) rows with missing values dropped") }
        if filled > 0 { parts.append("\(filled) missing values filled with column means") }
        parts.append(target)
        return parts.joined(separator: "; ")
    }

    /// The model file, with its class names (`nil`: regression).
    static func model(_ path: String) throws -> (file: ModelFile, classes: [String]?) {
        let file = try ModelFile.read(from: path)
        if let classes = file.dataLayout?.classes { return (file, classes) }
        // An imported model without class names: softmax or sigmoid outputs
        // are classes 0…k−1, anything else is regression.
        let output = file.network.layers[file.network.layers.count - 1].units
        let classifies = file.metadata["task"] != "regression" && (output == .softmax || output == .activation(.sigmoid))
        return (file, classifies ? (0..<max(2, file.network.outputs)).map(String.init) : nil)
    }

    /// The label column to read a file for `file` with: the option if given,
    /// else the one the model was trained with, else `last`.
    static func labelColumn(_ args: Arguments, for file: ModelFile) -> LabelColumn {
        if let text = args.values["--label-column"] { return LabelColumn(text) }
        return file.dataLayout?.labelColumn.map(LabelColumn.init) ?? .last
    }

    /// A table's features checked against the model and standardized as in training.
    static func inputs(_ table: LabelledTable, for file: ModelFile) throws -> Matrix {
        guard table.features.columns == file.network.inputs else {
            throw DataError(
                file: table.name, line: table.lines.first, message: "rows have \(table.features.columns) features, the model takes \(file.network.inputs)")
        }
        return try file.normalization?.apply(to: table.features) ?? table.features
    }
}
