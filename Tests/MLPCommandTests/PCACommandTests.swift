import Foundation
import Testing

/// `mlp pca` end to end (Docs/CLI.md): the JSON contract, the outputs, a
/// saved PCA projecting new data, and the errors.
@Suite("mlp pca")
struct PCACommandTests {
    @Test("mlp pca alone: built-in digits, 2 components; --json is exactly one object with the four fields")
    func defaults() throws {
        let cli = try CommandRunner("pca-default")
        let text = try cli.run("pca")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("built-in digits (train): 1347 rows"))
        #expect(text.stdout.contains("1347 samples × 64 features") && text.stdout.contains("cumulative"))
        let result = try cli.run("pca", "--components", "3", "--json")
        let lines = result.stdout.split(separator: "\n")
        #expect(result.status == 0 && lines.count == 1 && result.stderr.isEmpty)
        let json = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(Set(json.keys) == ["components", "explained_variance", "explained_variance_ratio", "reconstruction_error"])
        #expect(json["components"] as! Int == 3)
        // scikit-learn 1.9.1, PCA(3) on Data/digits/digits_train.csv (features only).
        let ratios = json["explained_variance_ratio"] as! [Double], variances = json["explained_variance"] as! [Double]
        for (value, expected) in zip(ratios, [0.14909118, 0.13568914, 0.1203744]) { #expect(abs(value - expected) < 1e-6) }
        for (value, expected) in zip(variances, [178.72038385, 162.65492903, 144.2966623]) { #expect(abs(value - expected) < 1e-3) }
        #expect(abs(json["reconstruction_error"] as! Double - 712.53076) < 1e-2)
    }

    @Test("--out keeps the label in its input position with the header; --save then --model/--transform projects the same numbers")
    func outputs() throws {
        let cli = try CommandRunner("pca-outputs")
        var rows = ["kind,a,b,c"]
        for i in 0..<30 {
            let t = Double(i) / 3
            rows.append("\(i % 2 == 0 ? "even" : "odd"),\(t),\(2 * t + Double(i % 3)),\(-t + Double(i % 5) / 2)")
        }
        try cli.write("data.csv", rows.joined(separator: "\n") + "\n")
        let fit = try cli.run(
            "pca", "--train", "data.csv", "--label-column", "first", "--components", "2", "--out", "fit.csv", "--plot", "pc.svg", "--save", "data.pca",
            "--standardize")
        #expect(fit.status == 0, "\(fit.stderr)")
        let projected = try cli.contents("fit.csv").split(separator: "\n")
        #expect(projected.count == 31 && projected[0] == "kind,pc1,pc2" && projected[1].hasPrefix("even,"))
        let svg = try cli.contents("pc.svg")
        #expect(svg.hasPrefix("<svg") && svg.contains(">even</text>") && svg.contains(">odd</text>") && svg.components(separatedBy: "<circle").count == 33)
        let again = try cli.run("pca", "--model", "data.pca", "--transform", "data.csv")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.split(separator: "\n") == projected)
    }

    @Test("bad input: too many components says the limit; wrong width, a bad field and misused options are one line each")
    func errors() throws {
        let cli = try CommandRunner("pca-errors")
        let many = try cli.run("pca", "--components", "65")
        #expect(many.status == 1 && many.stderr.contains("65 components asked for; (1347 × 64) data allows 1 to 64 (min(N − 1, D))"))
        try cli.write("bad.csv", "1,2,3\n4,x,6\n7,8,9\n")
        let bad = try cli.run("pca", "--train", "bad.csv", "--components", "1")
        #expect(bad.status == 1 && bad.stderr.contains("bad.csv:2"), "\(bad.stderr)")
        let plot = try cli.run("pca", "--components", "1", "--plot", "p.svg")
        #expect(plot.status == 2 && plot.stderr.contains("--plot draws PC1 against PC2 and needs --components 2 or more"))
        let transform = try cli.run("pca", "--transform", "bad.csv")
        #expect(transform.status == 2 && transform.stderr.contains("--transform needs --model"))
        _ = try cli.run("pca", "--save", "digits.pca")
        try cli.write("narrow.csv", "1,2,3,0\n4,5,6,1\n")
        let narrow = try cli.run("pca", "--model", "digits.pca", "--transform", "narrow.csv")
        #expect(narrow.status == 1 && narrow.stderr.contains("narrow.csv:1: rows have 3 features, the PCA in digits.pca takes 64"), "\(narrow.stderr)")
        let notPCA = try cli.run("pca", "--model", "narrow.csv", "--transform", "narrow.csv")
        #expect(notPCA.status == 1 && notPCA.stderr.contains("not a PCA file"))
        #expect(!cli.exists("p.svg"))
    }
}
