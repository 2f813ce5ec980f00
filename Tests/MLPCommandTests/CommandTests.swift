import Foundation
import Testing

/// `mlp` driven end to end: the built executable on small files.
@Suite("mlp command")
struct CommandTests {
    @Test("mlp train with no arguments: built-in digits, ≥ 0.975 test accuracy, JSON only on stdout, model saved")
    func defaultRun() throws {
        let cli = try CommandRunner("default")
        let result = try cli.run("train", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let json = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(Set(json.keys) == ["test_accuracy", "test_loss", "train_seconds", "samples_per_second", "epochs"])
        #expect((json["test_accuracy"] as! Double) >= 0.975)
        #expect((json["epochs"] as! Int) == 40)
        let files = try cli.files()
        #expect(cli.exists("model.mlp") && !files.contains { $0.contains(".tmp-") })

        let info = try cli.run("info")
        #expect(info.status == 0 && info.stdout.contains("64 → 128 relu → 10 softmax") && info.stdout.contains("classes: 0,1,2,3,4,5,6,7,8,9"))
        let evaluate = try cli.run("evaluate", "--json")
        let evaluated = try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as! [String: Any]
        #expect(evaluated["test_accuracy"] as! Double == json["test_accuracy"] as! Double)
    }

    @Test("the report: progress one line per epoch when not a terminal, metrics, per-class table, confusion matrix, SVG plot")
    func report() throws {
        let cli = try CommandRunner("report")
        try cli.write("train.csv", blobsCSV(rows: 150, seed: 1, delimiter: ";", header: true, labelLast: true))
        try cli.write("test.csv", blobsCSV(rows: 60, seed: 2, delimiter: ";", header: true, labelLast: true))
        let result = try cli.run(
            "train", "--train", "train.csv", "--test", "test.csv", "--label-column", "last", "--hidden", "16,8", "--epochs", "30",
            "--validation-split", "0.2", "--plot", "curves.svg", "--save", "blobs.mlp", "--standardize")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 30)
        #expect(result.stderr.contains("validation loss"))
        for text in ["train       loss", "validation  loss", "test        loss", "precision", "recall", "F1", "confusion matrix", "trained in"] {
            #expect(result.stdout.contains(text), "missing '\(text)'")
        }
        #expect(result.stdout.contains("  blue") && result.stdout.contains(" green") && result.stdout.contains("   red"))
        let svg = try cli.contents("curves.svg")
        #expect(svg.hasPrefix("<svg") && svg.contains("Loss per epoch") && svg.contains("Accuracy per epoch") && svg.contains(">validation<"))

        try cli.write("rows.csv", "2.1;0.1;-0.2\n0.0;0.1;2.3\n")
        let predicted = try cli.run("predict", "--model", "blobs.mlp", "--input", "rows.csv", "--probabilities")
        #expect(predicted.status == 0 && predicted.stdout.hasPrefix("class,p(blue),p(green),p(red)\nred,") && predicted.stdout.contains("\nblue,"))
    }

    @Test("regression targets with a linear output; IDX images and labels; streaming from a file")
    func regressionIDXAndStreaming() throws {
        let cli = try CommandRunner("formats")
        var lines = ["y,a,b"]
        for i in 0..<200 {
            let a = Double(i % 20) / 10, b = Double(i % 7) / 5
            lines.append("\(3 * a - 2 * b + 0.5),\(a),\(b)")
        }
        try cli.write("regression.csv", lines.joined(separator: "\n"))
        let regression = try cli.run(
            "train", "--train", "regression.csv", "--test", "regression.csv", "--label-column", "first", "--output", "linear", "--hidden", "", "--epochs", "60",
            "--lr", "0.05", "--json", "--save", "r.mlp")
        #expect(regression.status == 0, "\(regression.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(regression.stdout.utf8)) as! [String: Any]
        #expect(json["test_accuracy"] is NSNull && (json["test_loss"] as! Double) < 0.01)

        // 40 images of 2 × 2 pixels: class 1 images are bright on the left.
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 2], labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 40]
        for i in 0..<40 {
            let bright = i % 2 == 1
            images += bright ? [200, 10, 210, 5] : [10, 220, 5, 200]
            labels.append(bright ? 1 : 0)
        }
        let imageFile = try cli.writeBytes("images-idx3-ubyte", images), labelFile = try cli.writeBytes("labels-idx1-ubyte", labels)
        let idx = try cli.run(
            "train", "--train", imageFile, "--train-labels", labelFile, "--test", imageFile, "--test-labels", labelFile,
            "--standardize", "--epochs", "20", "--json", "--save", "idx.mlp")
        #expect(idx.status == 0, "\(idx.stderr)")
        let idxJSON = try JSONSerialization.jsonObject(with: Data(idx.stdout.utf8)) as! [String: Any]
        #expect(idxJSON["test_accuracy"] as! Double == 1)

        try cli.write("blobs.csv", blobsCSV(rows: 300, seed: 3, labelLast: true))
        let streamed = try cli.run(
            "train", "--train", "blobs.csv", "--stream", "--test", "blobs.csv", "--epochs", "10", "--standardize", "--json", "--save", "s.mlp")
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let streamedJSON = try JSONSerialization.jsonObject(with: Data(streamed.stdout.utf8)) as! [String: Any]
        #expect(streamedJSON["test_accuracy"] as! Double > 0.95)
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var arguments: [String]
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing file", files: [:], arguments: ["train", "--train", "nope.csv"], message: "nope.csv: cannot open: No such file or directory"),
        BadInput(name: "empty file", files: ["empty.csv": ""], arguments: ["train", "--train", "empty.csv"], message: "empty.csv: file is empty"),
        BadInput(
            name: "ragged row", files: ["ragged.csv": "1,2,3\n0,4,5\n1,2\n"], arguments: ["train", "--train", "ragged.csv"],
            message: "ragged.csv:3: ragged row: 2 fields, expected 3"),
        BadInput(
            name: "non-numeric field", files: ["text.csv": "1,2,3\n0,five,4\n"], arguments: ["train", "--train", "text.csv"],
            message: "text.csv:2:2: 'five' is not a number"),
        BadInput(
            name: "NaN value", files: ["nan.csv": "1,2,3\n0,nan,5\n"], arguments: ["train", "--train", "nan.csv"],
            message: "nan.csv:2:2: missing value 'nan'; choose what to do with missing values: drop or mean"),
        BadInput(
            name: "infinite value", files: ["inf.csv": "1,2,3\n0,inf,4\n"], arguments: ["train", "--train", "inf.csv"],
            message: "inf.csv:2:2: value 'inf' is not finite"),
        BadInput(
            name: "label outside the training classes", files: ["a.csv": "1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "b.csv": "1,2,0\n4,5,7\n"],
            arguments: ["train", "--train", "a.csv", "--test", "b.csv", "--epochs", "1"],
            message: "b.csv:2: label '7' is not one of the 2 classes seen in training (0, 1)"),
        BadInput(
            name: "test width differs", files: ["a.csv": "1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "b.csv": "1,2\n0,4\n"],
            arguments: ["train", "--train", "a.csv", "--test", "b.csv", "--epochs", "1"], message: "b.csv:1: rows have 1 features, the training data has 2"),
        BadInput(
            name: "corrupt IDX header", files: ["bad-idx": "\u{0}\u{0}\u{8}\u{9}"], arguments: ["train", "--train", "bad-idx", "--train-labels", "bad-idx"],
            message: "bad-idx: corrupt IDX header: 9 dimensions"),
        BadInput(
            name: "model file of the wrong version", files: ["old.mlp": "SMLP\u{7}\u{0}\u{0}\u{0}0123456789abcdef"], arguments: ["info", "--model", "old.mlp"],
            message: "old.mlp: model file version 7, this build reads versions 1 to 2"),
        BadInput(
            name: "not a model file", files: ["x.mlp": "label,a\n1,2\n"], arguments: ["evaluate", "--model", "x.mlp"], message: "x.mlp: not a model file"),
    ]

    @Test("bad input: a one-line error naming file, line and column, exit status 1, no model written", arguments: badInputs)
    func badInput(_ bad: BadInput) throws {
        let cli = try CommandRunner("bad-\(bad.name.replacingOccurrences(of: " ", with: "-"))")
        for (name, text) in bad.files { try cli.write(name, text) }
        let result = try cli.run(bad.arguments)
        #expect(result.status == 1)
        // At most the line saying how the training file was read comes first.
        let lines = result.stderr.split(separator: "\n")
        #expect(
            lines.last?.hasPrefix("mlp: \(bad.message)") == true && lines.count <= 2 && lines.dropLast().allSatisfy { $0.contains(" rows; ") },
            "got: \(result.stderr)")
        #expect(result.stdout.isEmpty && !cli.exists("model.mlp"))
    }

    @Test("usage errors name the option and why, exit status 2; --help lists every option with its default")
    func usage() throws {
        let cli = try CommandRunner("usage")
        let unknown = try cli.run("train", "--learning-rate", "0.1")
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown option '--learning-rate' for 'mlp train'"))
        let bad = try cli.run("train", "--lr", "fast")
        #expect(bad.status == 2 && bad.stderr.contains("option --lr: 'fast' is not a number"))
        let missing = try cli.run("train", "--epochs")
        #expect(missing.status == 2 && missing.stderr.contains("option --epochs needs a value"))
        let choice = try cli.run("train", "--optimizer", "lbfgs")
        #expect(choice.status == 2 && choice.stderr.contains("'lbfgs' is not one of sgd, momentum"))
        let unknownCommand = try cli.run("frobnicate")
        #expect(unknownCommand.status == 2)
        let help = try cli.run("train", "--help")
        for option in [
            "--train", "--test", "--validation-split", "--label-column", "--header", "--no-header", "--hidden", "--activation",
            "--output", "--loss", "--optimizer", "--lr", "--epochs", "--batch", "--l2", "--l1", "--dropout", "--early-stopping",
            "--standardize", "--seed", "--threads", "--save", "--plot", "--json", "--quiet",
        ] {
            #expect(help.stdout.contains("  \(option)"), "help lacks \(option)")
        }
        #expect(help.stdout.contains("(default: 0.003)"))
        for command in ["evaluate", "predict", "info"] {
            let text = try cli.run(command, "--help")
            #expect(text.status == 0 && text.stdout.hasPrefix("usage: mlp \(command)"))
        }
        let overview = try cli.run("help")
        #expect(overview.stdout.contains("commands:"))
    }

    @Test("a diverging run exits with an error naming epoch and step and leaves no model")
    func divergence() throws {
        let cli = try CommandRunner("diverge")
        var lines: [String] = []
        for i in 0..<50 { lines.append("\(Double(i) * 1000),\(i),\(i * 2)") }
        try cli.write("huge.csv", lines.joined(separator: "\n"))
        let result = try cli.run("train", "--train", "huge.csv", "--output", "linear", "--optimizer", "sgd", "--lr", "10", "--epochs", "50")
        #expect(result.status == 2 && result.stderr.contains("training diverged at epoch"))
        let files = try cli.files()
        #expect(!cli.exists("model.mlp") && !files.contains { $0.contains(".tmp-") })
    }
}
