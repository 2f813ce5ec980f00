import Kernels
import MLP
import MLPData

/// `mlp pca`: fit a PCA and report it, write the projections, plot PC1
/// against PC2, save it; or, with `--model` and `--transform`, project new
/// data with a saved one (Docs/CLI.md, Docs/PCA.md).
enum PCACommand {
    static let specs: [OptionSpec] =
        DataOptions.fileSpecs(train: "data to fit", test: "held-out data whose reconstruction error is reported too")
        + DataOptions.specs + [
            OptionSpec(name: "--standardize", help: "standardize features before the PCA (statistics are saved with it)"),
            OptionSpec(name: "--components", value: "M", defaultValue: "2", help: "principal components to keep, 1 to min(samples − 1, features)"),
            OptionSpec(name: "--whiten", help: "scale each projected coordinate to unit variance"),
            OptionSpec(name: "--out", value: "FILE.csv", help: "write the projected samples, the label in the column position the input used"),
            OptionSpec(name: "--plot", value: "FILE.svg", help: "draw PC1 against PC2, coloured by label"),
            OptionSpec(name: "--save", value: "FILE", help: "save the PCA (with its standardization) for --model"),
            OptionSpec(name: "--model", value: "FILE", help: "a PCA saved with --save, to project --transform with"),
            OptionSpec(name: "--transform", value: "FILE", help: "data to project with --model (CSV or IDX)"),
            OptionSpec(name: "--json", help: "print only {\"components\",\"explained_variance\",\"explained_variance_ratio\",\"reconstruction_error\"}"),
            OptionSpec(name: "--quiet", help: "no progress output"),
            OptionSpec(name: "--help", help: "show this help"),
        ]

    static let summary = """
        Principal component analysis. Prints each component's explained-variance
        ratio and its cumulative sum, and the reconstruction error: the mean over
        samples of the squared distance between a sample and its reconstruction
        from M components (in standardized units with --standardize). Without
        --train it analyses the built-in UCI digits.
        """

    static func run(_ arguments: [String], console: inout Console) throws -> Int32 {
        guard let args = try Arguments.parse(command: "pca", summary: summary, specs: specs, arguments: arguments, console: &console) else { return 0 }
        console.quiet = args.has("--quiet") || args.has("--json")
        let csv = try DataOptions.csv(args)
        if let model = args.values["--model"] { return try project(args, model: model, csv: csv, console: &console) }
        if args.values["--transform"] != nil { throw UsageError(description: "option --transform needs --model FILE (a PCA saved with --save)") }
        let m = try args.int("--components", atLeast: 1)!
        if args.values["--plot"] != nil, m < 2 { throw UsageError(description: "option --plot draws PC1 against PC2 and needs --components 2 or more") }
        try DataOptions.checkOutputs(args, ["--out", "--plot", "--save"])
        let (training, test, _) = try DataOptions.tables(args, options: csv, console: console)
        console.note(DataOptions.decisions(training, target: labelNote(training)))
        let normalization = args.has("--standardize") ? Normalization(fitting: training.features) : nil
        let x = try normalization?.apply(to: training.features) ?? training.features
        let pca: PCA
        do {
            pca = try PCA(fitting: x, components: m, whiten: args.has("--whiten"))
        } catch {
            throw DataError(file: training.name, message: "\(error)")
        }
        let trainError = try pca.reconstructionError(x)
        let testError = try test.map { try pca.reconstructionError(normalization?.apply(to: $0.features) ?? $0.features) }

        if args.has("--json") {
            func list(_ values: [Float]) -> String { "[" + values.map { Report.number(Double($0)) }.joined(separator: ",") + "]" }
            console.out(
                "{\"components\":\(m),\"explained_variance\":\(list(pca.explainedVariance)),\"explained_variance_ratio\":\(list(pca.explainedVarianceRatio)),\"reconstruction_error\":\(Report.number(trainError))}\n"
            )
        } else {
            console.out(
                report(pca, name: training.name, standardized: normalization != nil, trainError: trainError, testError: testError.map { ($0, test!.name) }))
        }
        let z = try pca.transform(x)
        if let path = args.values["--out"] {
            try AtomicFile.write(Array(projectedCSV(z, table: training).utf8), to: path)
            console.note("wrote \(z.rows) projected samples to \(path)")
        }
        if let path = args.values["--plot"] {
            let plot = ScatterPlot(
                x: (0..<z.rows).map { Double(z[$0, 0]) }, y: (0..<z.rows).map { Double(z[$0, 1]) }, labels: carriedLabels(training),
                title: "\(training.name): PC1 against PC2", xLabel: "PC1 (\(Report.fixed(Double(pca.explainedVarianceRatio[0]) * 100, 1))% of variance)",
                yLabel: "PC2 (\(Report.fixed(Double(pca.explainedVarianceRatio[1]) * 100, 1))% of variance)")
            try plot.write(to: path)
            console.note("wrote PC1 against PC2 to \(path)")
        }
        if let path = args.values["--save"] {
            let layout = ModelFile.DataLayout(labelColumn: training.layout.map { "\($0.labelColumn)" }, featureCount: pca.featureCount, classes: nil)
            try PCAFile(pca: pca, normalization: normalization, dataLayout: layout).write(to: path)
            console.note("saved the PCA to \(path)")
        }
        return 0
    }

    /// The labels a table carries to `--out` and `--plot`: none when a CSV has no label column.
    static func carriedLabels(_ table: LabelledTable) -> [String]? {
        table.layout?.labelIndex == nil && table.layout != nil ? nil : table.labels
    }

    /// What the decision line says of the label column.
    static func labelNote(_ table: LabelledTable) -> String {
        carriedLabels(table) == nil ? "no label" : "labels are carried to --out and --plot, not analysed"
    }

    static func report(_ pca: PCA, name: String, standardized: Bool, trainError: Double, testError: (Double, String)?) -> String {
        var lines = [
            "PCA of \(name): \(pca.sampleCount) samples × \(pca.featureCount) features\(standardized ? " (standardized)" : ""), \(pca.route.rawValue) route, \(pca.componentCount) component\(pca.componentCount == 1 ? "" : "s")\(pca.whitens ? ", whitened" : "")"
        ]
        lines.append("component  variance      ratio   cumulative")
        var cumulative: Double = 0
        for j in 0..<pca.componentCount {
            cumulative += Double(pca.explainedVarianceRatio[j])
            lines.append(
                Report.pad("\(j + 1)", 9) + "  " + Report.pad(Report.significant(Double(pca.explainedVariance[j])), 12)
                    + "  " + Report.fixed(Double(pca.explainedVarianceRatio[j]), 4) + "  " + Report.fixed(cumulative, 4))
        }
        var error = "reconstruction error (mean squared residual per sample): \(Report.significant(trainError)) on the fitted data"
        if let (value, testName) = testError { error += ", \(Report.significant(value)) on \(testName)" }
        lines.append(error)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The projections as CSV: `<prefix>1`…`<prefix>M`, the label (if any) in
    /// the position the input had it (capped at M, the last position), a
    /// header when the input had one.
    static func projectedCSV(_ z: Matrix, table: LabelledTable, prefix: String = "pc") -> String {
        let hasLabel = carriedLabels(table) != nil
        let position = min(table.layout?.labelIndex ?? z.columns, z.columns)
        func row(_ fields: [String], label: String) -> String {
            var fields = fields
            if hasLabel { fields.insert(Report.csvField(label), at: position) }
            return fields.joined(separator: ",")
        }
        var lines: [String] = []
        if table.layout?.hasHeader == true {
            let name = table.layout!.labelIndex.map { table.layout!.columnNames[$0] } ?? "label"
            lines.append(row((1...z.columns).map { "\(prefix)\($0)" }, label: name))
        }
        for i in 0..<z.rows {
            lines.append(row((0..<z.columns).map { "\(z[i, $0])" }, label: hasLabel ? table.labels[i] : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--model FILE --transform DATA`: projections of DATA with a saved PCA.
    static func project(_ args: Arguments, model: String, csv: CSVOptions, console: inout Console) throws -> Int32 {
        guard let path = args.values["--transform"] else { throw UsageError(description: "option --model needs --transform FILE: the data to project") }
        for option in ["--train", "--test", "--save", "--plot", "--components", "--whiten", "--standardize"]
        where args.values[option] != nil || args.has(option) {
            throw UsageError(description: "option \(option) does not apply to --model/--transform: a saved PCA keeps its components and standardization")
        }
        if let out = args.values["--out"] { try OutputCheck.writable(out, option: "--out", inputs: [path, model]) }
        let file = try PCAFile.read(from: model)
        var options = csv
        if args.values["--label-column"] == nil { options.labelColumn = file.dataLayout?.labelColumn.map(LabelColumn.init) ?? .last }
        let table = try DataOptions.load(path, labels: args.values["--test-labels"], options: options, console: console)
        console.note(DataOptions.decisions(table, target: labelNote(table)))
        guard table.features.columns == file.pca.featureCount else {
            throw DataError(
                file: table.name, line: table.lines.first,
                message: "rows have \(table.features.columns) features, the PCA in \(model) takes \(file.pca.featureCount)")
        }
        let z = try file.pca.transform(file.normalization?.apply(to: table.features) ?? table.features)
        let text = projectedCSV(z, table: table)
        if let out = args.values["--out"] {
            try AtomicFile.write(Array(text.utf8), to: out)
            console.note("wrote \(z.rows) projected samples to \(out)")
        } else {
            console.out(text)
        }
        return 0
    }
}
