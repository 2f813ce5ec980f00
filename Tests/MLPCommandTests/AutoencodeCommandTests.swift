import Foundation
import Testing

/// `mlp autoencode` end to end (Docs/CLI.md): the JSON contract, the
/// comparison with PCA, the outputs, and the errors.
@Suite("mlp autoencode")
struct AutoencodeCommandTests {
    @Test("built-in digits: --json is exactly the four fields; the autoencoder's test error is below PCA's, which matches mlp pca")
    func defaults() throws {
        let cli = try CommandRunner("autoencode-default")
        let result = try cli.run("autoencode", "--code", "2", "--json")
        let lines = result.stdout.split(separator: "\n")
        #expect(result.status == 0 && lines.count == 1 && result.stderr.isEmpty, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(Set(json.keys) == ["code", "train_reconstruction_error", "test_reconstruction_error", "pca_test_reconstruction_error"])
        #expect(json["code"] as! Int == 2)
        let pca = json["pca_test_reconstruction_error"] as! Double, autoencoder = json["test_reconstruction_error"] as! Double
        #expect(abs(pca - 868.65) < 0.01, "PCA test error \(pca)")
        #expect(autoencoder < pca && (json["train_reconstruction_error"] as! Double) < 856.7)
        let text = try cli.run("autoencode", "--epochs", "2")
        #expect(text.status == 0 && text.stderr.contains("epoch 2/2") && text.stdout.contains("PCA, 2 components"))
    }

    @Test("--validation-split reports on the held-out rows; --tied, --out, --plot and --save; the model file says autoencoder")
    func outputs() throws {
        let cli = try CommandRunner("autoencode-outputs")
        let iris = SilentlyWrongTests.root.appendingPathComponent("Data/iris/iris_train.csv").path
        let result = try cli.run(
            "autoencode", "--train", iris, "--code", "2", "--hidden", "8", "--validation-split", "0.2", "--epochs", "10", "--standardize", "--tied",
            "--out", "codes.csv", "--plot", "codes.svg", "--save", "iris-ae.mlp")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("on the training data and on the validation split") && result.stdout.contains("standardized units"))
        let codes = try cli.contents("codes.csv").split(separator: "\n")
        #expect(codes.count == 121 && codes[0] == "code1,code2,species")
        #expect(try cli.contents("codes.svg").contains(">versicolor</text>"))
        let info = try cli.run("info", "--model", "iris-ae.mlp")
        #expect(
            info.stdout.contains("task: autoencoder") && info.stdout.contains("autoencoder.tied: yes")
                && info.stdout.contains("4 → 8 relu → 2 identity → 8 relu → 4 identity"))
    }

    @Test("errors: --plot with one code unit, a code wider than allowed, a bad field, an option of train that does not apply")
    func errors() throws {
        let cli = try CommandRunner("autoencode-errors")
        let plot = try cli.run("autoencode", "--code", "1", "--plot", "p.svg")
        #expect(plot.status == 2 && plot.stderr.contains("needs --code 2 or more"))
        let wide = try cli.run("autoencode", "--code", "65", "--epochs", "1")
        #expect(wide.status == 1 && wide.stderr.contains("65 components asked for; (1347 × 64) data allows 1 to 64"), "\(wide.stderr)")
        try cli.write("bad.csv", "1,2,3\n4,x,6\n7,8,9\n")
        let bad = try cli.run("autoencode", "--train", "bad.csv", "--code", "1")
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv:2"), "\(bad.stderr)")
        let output = try cli.run("autoencode", "--output", "softmax")
        #expect(output.status == 2 && output.stderr.contains("unknown option '--output'"))
        let kappa = try cli.run("autoencode", "--kappa", "0.1")
        #expect(kappa.status == 2 && kappa.stderr.contains("add --optimizer delta-bar-delta"))
    }
}
