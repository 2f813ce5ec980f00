import Foundation
import Testing

/// The paths that once gave wrong results without an error, end to end
/// (one test per bullet of the list they were reported in).
@Suite("mlp command: nothing silently wrong")
struct SilentlyWrongTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let irisTrain = root.appendingPathComponent("Data/iris/iris_train.csv").path
    static let irisTest = root.appendingPathComponent("Data/iris/iris_test.csv").path

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test("exports keep what the model needs: .mlp → .safetensors → .mlp keeps standardization (folded) and class names; same test accuracy")
    func exports() throws {
        let cli = try CommandRunner("exports")
        let trained = try cli.run("train", "--train", Self.irisTrain, "--test", Self.irisTest, "--standardize", "--hidden", "16", "--epochs", "60", "--json")
        #expect(trained.status == 0, "\(trained.stderr)")
        let before = try json(trained.stdout)["test_accuracy"] as! Double
        #expect(before >= 0.85)
        let exported = try cli.run("convert", "--model", "model.mlp", "--to", "model.safetensors")
        #expect(exported.status == 0 && exported.stderr.contains("folded into the first layer"))
        #expect(try cli.run("convert", "--from", "model.safetensors", "--to", "back.mlp").status == 0)
        let info = try cli.run("info", "--model", "back.mlp")
        #expect(info.stdout.contains("classes: setosa,versicolor,virginica") && info.stdout.contains("label column last"))
        let evaluated = try cli.run("evaluate", "--model", "back.mlp", "--test", Self.irisTest, "--json")
        #expect(try json(evaluated.stdout)["test_accuracy"] as! Double == before, "\(evaluated.stderr)")
        let original = try cli.run("predict", "--model", "model.mlp", "--input", Self.irisTest)
        let roundTrip = try cli.run("predict", "--model", "back.mlp", "--input", Self.irisTest)
        #expect(original.stdout == roundTrip.stdout && original.stdout.hasPrefix("class\nsetosa\n"))
        #expect(try cli.run("convert", "--model", "model.mlp", "--keep-normalization", "--to", "kept.safetensors").status == 0)
        #expect(try cli.run("convert", "--from", "kept.safetensors", "--to", "kept.mlp").status == 0)
        let kept = try cli.run("predict", "--model", "kept.mlp", "--input", Self.irisTest, "--probabilities")
        #expect(kept.stdout == (try cli.run("predict", "--model", "model.mlp", "--input", Self.irisTest, "--probabilities")).stdout)
    }

    @Test("the first row: a BOM is not a header and makes no class; NA there is a missing value; 1 and 1.0 are one class")
    func firstRow() throws {
        let cli = try CommandRunner("first-row")
        let rows = (0..<40).map { "\(Double($0 % 2) * 3 + Double($0) / 100),\($0 % 5),\($0 % 2 == 0 ? "0" : "1")" }
        try cli.write("bom.csv", "\u{FEFF}" + rows.joined(separator: "\n"))
        let bom = try cli.run("train", "--train", "bom.csv", "--epochs", "1")
        #expect(
            bom.status == 0
                && bom.stderr.contains("bom.csv: 40 rows; delimiter ',' (detected), header: no (detected), label: column 3 (last), 2 features; 2 classes: 0, 1"),
            "\(bom.stderr)")
        try cli.write("na.csv", (["NA,1,0"] + rows).joined(separator: "\n"))
        let na = try cli.run("train", "--train", "na.csv", "--epochs", "1")
        #expect(na.status == 1 && na.stderr == "mlp: na.csv:1:1: missing value 'NA'; choose what to do with missing values: drop or mean\n")
        let dropped = try cli.run("train", "--train", "na.csv", "--epochs", "1", "--missing", "drop")
        #expect(dropped.status == 0 && dropped.stderr.contains("na.csv: 40 rows;") && dropped.stderr.contains("1 rows with missing values dropped"))
        try cli.write("spellings.csv", rows.enumerated().map { $0.offset % 4 == 1 ? $0.element + ".0" : $0.element }.joined(separator: "\n"))
        let spellings = try cli.run("train", "--train", "spellings.csv", "--epochs", "1")
        #expect(spellings.status == 0 && spellings.stderr.contains("2 classes: 0, 1"), "\(spellings.stderr)")
    }

    @Test(
        "the label column: last by default and remembered by the model; a continuous target is refused with the options that settle it; --help defaults match Docs/CLI.md"
    )
    func labelColumn() throws {
        let cli = try CommandRunner("label-column")
        let train = try cli.run("train", "--train", Self.irisTrain, "--epochs", "5")
        #expect(train.stderr.contains("label: column 5 \"species\" (last), 4 features; 3 classes: setosa, versicolor, virginica"))
        #expect(train.stdout.contains("training") == false && train.stderr.contains("training 4 → 128 relu → 3 softmax"))
        try cli.write(
            "first.csv",
            (try String(contentsOfFile: Self.irisTest, encoding: .utf8)).split(separator: "\n").map { line in
                let fields = line.split(separator: ",")
                return ([fields.last!] + fields.dropLast()).joined(separator: ",")
            }.joined(separator: "\n"))
        let firstModel = try cli.run("train", "--train", "first.csv", "--label-column", "first", "--epochs", "5", "--save", "first.mlp")
        #expect(firstModel.status == 0, "\(firstModel.stderr)")
        let evaluated = try cli.run("evaluate", "--model", "first.mlp", "--test", "first.csv")
        #expect(evaluated.status == 0 && evaluated.stderr.contains("label: column 1 \"species\" (first)"), "\(evaluated.stderr)")
        let predicted = try cli.run("predict", "--model", "first.mlp", "--input", "first.csv")
        #expect(predicted.status == 0 && predicted.stdout.split(separator: "\n").count == 31, "\(predicted.stderr)")

        var lines = ["a,b,target"]
        for i in 0..<300 { lines.append("\(i % 17),\(i % 11),\(i * 37 % 280)") }
        try cli.write("diabetes.csv", lines.joined(separator: "\n"))
        let continuous = try cli.run("train", "--train", "diabetes.csv", "--epochs", "1")
        #expect(continuous.status == 1 && continuous.stderr.contains("the label column looks continuous") && continuous.stderr.contains("--output linear"))
        #expect(try cli.run("train", "--train", "diabetes.csv", "--epochs", "1", "--classes", "280").status == 0)

        let doc = try String(contentsOf: Self.root.appendingPathComponent("Docs/CLI.md"), encoding: .utf8)
        for command in ["train", "evaluate", "predict", "info", "convert", "pca", "autoencode"] {
            let help = try cli.run(command, "--help").stdout
            let section = doc.components(separatedBy: "## `mlp \(command)`").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
            #expect(!section.isEmpty, "Docs/CLI.md has no section for mlp \(command)")
            for line in help.split(separator: "\n") where line.hasPrefix("  --") && !line.hasPrefix("  --help") {
                let option = String(line.dropFirst(2).prefix { $0 != " " })
                let row = section.split(separator: "\n").first { $0.hasPrefix("| `\(option)") || $0.contains("`\(option)`") }
                #expect(row != nil, "Docs/CLI.md, mlp \(command): no row for \(option)")
                if let row, let range = line.range(of: "(default: ") {
                    let value = line[range.upperBound...].dropLast()
                    #expect(row.contains(value), "mlp \(command) \(option): --help says default \(value), Docs/CLI.md says \(row)")
                }
            }
        }
    }

    @Test("validation: a split that leaves fewer than 10 samples or misses a class is an error that says the minimum")
    func validation() throws {
        let cli = try CommandRunner("validation")
        let tiny = try cli.run("train", "--train", Self.irisTrain, "--validation-split", "0.005")
        #expect(
            tiny.status == 2 && tiny.stderr.contains("the validation set has 0 samples") && tiny.stderr.contains("a split of at least 0.084"), "\(tiny.stderr)")
        var lines: [String] = []
        for i in 0..<200 { lines.append("\(i),\(i % 7),\(i < 199 ? "common" : "rare")") }
        try cli.write("rare.csv", lines.joined(separator: "\n"))
        let rare = try cli.run("train", "--train", "rare.csv", "--validation-split", "0.1", "--classes", "2")
        #expect(rare.status == 2 && rare.stderr.contains("has no sample of class 'rare'"), "\(rare.stderr)")
    }

    @Test("regression: MSE, MAE and R², never an accuracy; the plot uses a log scale over decades, fits its labels, draws one-epoch points")
    func regression() throws {
        let cli = try CommandRunner("regression")
        var lines = ["a,b,y"]
        for i in 0..<200 {
            let a = Double(i % 20) / 10, b = Double(i % 7) / 5
            lines.append("\(a),\(b),\(300 * a - 200 * b + 50)")
        }
        try cli.write("r.csv", lines.joined(separator: "\n"))
        let result = try cli.run(
            "train", "--train", "r.csv", "--test", "r.csv", "--output", "linear", "--standardize", "--lr", "0.05", "--epochs", "60", "--plot", "r.svg")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("accuracy") && !result.stderr.contains("accuracy"))
        #expect(result.stdout.contains("MSE") && result.stdout.contains("MAE") && result.stdout.contains("R² 0.9"), "\(result.stdout)")
        let svg = try cli.contents("r.svg")
        #expect(svg.contains("(log scale)") && !svg.contains("Accuracy") && svg.contains("width=\"780.0\""))
        let evaluated = try json(try cli.run("evaluate", "--test", "r.csv", "--json").stdout)
        #expect(evaluated["test_accuracy"] is NSNull && evaluated["test_r2"] as! Double > 0.9 && evaluated["test_mae"] != nil)
        #expect(try cli.run("train", "--train", "r.csv", "--output", "linear", "--epochs", "1", "--plot", "one.svg", "--save", "one.mlp").status == 0)
        #expect(try cli.contents("one.svg").contains("<circle"))
    }

    @Test("the user's work: outputs checked before training; never over an input; Ctrl-C saves the last completed epoch; stale temporaries removed")
    func usersWork() throws {
        let cli = try CommandRunner("users-work")
        let missing = try cli.run("train", "--save", "no/such/dir/m.mlp")
        #expect(missing.status == 1 && missing.stderr == "mlp: no/such/dir/m.mlp: --save: the directory no/such/dir does not exist\n")
        try cli.write("data.csv", try String(contentsOfFile: Self.irisTrain, encoding: .utf8))
        let overwrite = try cli.run("train", "--train", "data.csv", "--save", "data.csv")
        #expect(overwrite.status == 1 && overwrite.stderr.contains("--save would overwrite the input file data.csv"))
        #expect(try cli.contents("data.csv").hasPrefix("sepal_length"))
        let plot = try cli.run("train", "--plot", "no/such/dir/p.svg")
        #expect(plot.status == 1 && plot.stderr.contains("--plot: the directory no/such/dir does not exist") && !cli.exists("model.mlp"))

        try cli.write("model.mlp.tmp-999999", "left by a killed save")
        #expect(try cli.run("train", "--epochs", "1").status == 0)
        #expect(!cli.exists("model.mlp.tmp-999999"))

        let interrupted = try cli.interrupt(["train", "--epochs", "100000", "--save", "stopped.mlp"], after: "epoch 3/")
        #expect(interrupted.status == 130, "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("interrupted; saved the model of epoch") && interrupted.stderr.contains("(the last completed) to stopped.mlp"))
        let info = try cli.run("info", "--model", "stopped.mlp")
        #expect(info.status == 0 && info.stdout.contains("interrupted: after epoch"))
        #expect(try cli.files().allSatisfy { !$0.contains(".tmp-") })
    }

    @Test("the terminal: under a 60-column pty every progress redraw fits in one row (no stale lines)")
    func terminalWidth() throws {
        let cli = try CommandRunner("terminal")
        let command = "stty cols 60; '\(CommandRunner.executable.path)' train --epochs 3 --batch 1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        process.currentDirectoryURL = cli.directory
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let redraws = text.components(separatedBy: "\r\u{1B}[2K").dropFirst().map { $0.prefix { $0 != "\n" && $0 != "\r" } }
        let bars = redraws.filter { $0.contains("ETA") || $0.contains("·") || $0.contains("█") }
        #expect(!bars.isEmpty, "no progress bar drawn: \(text.prefix(400))")
        #expect(bars.allSatisfy { $0.count <= 59 }, "a redraw wider than 59 columns: \(bars.max { $0.count < $1.count } ?? "")")
    }

    @Test(
        "nonsense is refused with one error line naming both options or the value (after the line saying how the data was read, where it needs the data)",
        arguments: [
            (["train", "--output", "linear", "--loss", "hinge"], "options --loss hinge and --output linear contradict each other"),
            (["train", "--hidden", "32,,16"], "option --hidden: '32,,16' is not a comma-separated list of widths ≥ 1"),
            (["train", "--train", "x.csv", "--stream", "--plot", "p.svg"], "options --stream and --plot contradict each other"),
            (["train", "--hidden", "2000000000"], "option --hidden: the network and its training buffers would need"),
            (["train", "--activation", "leaky-relu(nan)"], "option --activation: 'leaky-relu(nan)' is not a hidden activation"),
            (["train", "--label-column", "species", "--no-header"], "options --label-column species and --no-header contradict each other"),
        ])
    func nonsense(_ arguments: [String], _ message: String) throws {
        let cli = try CommandRunner("nonsense-\(arguments.count)-\(arguments.last!)")
        let result = try cli.run(arguments)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("mlp:") }
        #expect(result.status == 2 && errors.count == 1 && errors[0].hasPrefix("mlp: \(message)"), "\(result.stderr)")
        #expect(!cli.exists("model.mlp"))
    }

    @Test("a safetensors file with a 0 × 0 weight is refused, not a 0 → 0 model")
    func emptyTensor() throws {
        let cli = try CommandRunner("empty-tensor")
        let header = "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[0,0],\"data_offsets\":[0,0]},\"__metadata__\":{\"units\":\"softmax\"}}"
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8)
        _ = try cli.writeBytes("empty.safetensors", bytes)
        let result = try cli.run("convert", "--from", "empty.safetensors", "--to", "m.mlp")
        #expect(result.status == 1 && result.stderr.contains("empty.safetensors: model file is corrupted: tensor layers.0.weight") && !cli.exists("m.mlp"))
    }

    @Test("a version-1 model file (committed with its data and the predictions the version-1 build printed) predicts the same today")
    func versionOneModel() throws {
        let cli = try CommandRunner("version-one")
        let fixtures = Self.root.appendingPathComponent("Tests/MLPTests/Fixtures")
        let result = try cli.run(
            "predict", "--model", fixtures.appendingPathComponent("model-v1.mlp").path,
            "--input", fixtures.appendingPathComponent("model-v1-data.csv").path, "--probabilities")
        #expect(result.status == 0, "\(result.stderr)")
        // Same classes; probabilities within 2e-6 (the fixture was printed by
        // the avx2 variant, to 6 decimals; other variants round differently).
        let expected = try String(contentsOf: fixtures.appendingPathComponent("model-v1-predictions.csv"), encoding: .utf8)
        let got = result.stdout.split(separator: "\n"), want = expected.split(separator: "\n")
        #expect(got.count == want.count && got.first == want.first)
        for (a, b) in zip(got.dropFirst(), want.dropFirst()) {
            let x = a.split(separator: ","), y = b.split(separator: ",")
            #expect(x.first == y.first && x.count == y.count, "\(a) against \(b)")
            for (p, q) in zip(x.dropFirst(), y.dropFirst()) {
                #expect(abs(Double(p)! - Double(q)!) <= 2e-6, "\(a) against \(b)")
            }
        }
    }
}
