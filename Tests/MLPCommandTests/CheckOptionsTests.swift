import Foundation
import MLPCommand
import Testing

/// `MLPCommandLine.checkOptions`, the fuzzed entry to the argument parser:
/// every seed of `Tests/Fuzz/Corpus/arguments` is a valid command line, and
/// bad ones are the usage error `mlp` prints, exit status 2 (the same text).
@Suite("checking a command line without running it")
struct CheckOptionsTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fuzz/Corpus/arguments").standardizedFileURL

    static func words(_ file: URL) throws -> [String] {
        try Data(contentsOf: file).split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("every seed of the fuzzer's corpus is a valid command line")
    func seeds() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
        #expect(files.count >= 9)
        for file in files {
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try MLPCommandLine.checkOptions(Self.words(file)) }
        }
    }

    @Test(
        "bad command lines are the usage error mlp prints",
        arguments: [
            (["train", "--lr", "x"], "option --lr: 'x' is not a number in 1e-12…1000000.0"),
            (["train", "--hidden", "3,,4"], "option --hidden: '3,,4' is not a comma-separated list of widths ≥ 1 (an entry is '')"),
            (["train", "--bogus"], "unknown option '--bogus' for 'mlp train' (see 'mlp train --help')"),
            (["pca", "--components", "0"], "option --components: '0' is not a whole number ≥ 1"),
            (["autoencode", "--code"], "option --code needs a value (M)"),
            (["frobnicate"], "unknown command 'frobnicate'"),
        ])
    func badLines(arguments: [String], message: String) throws {
        #expect(throws: UsageError.self) { try MLPCommandLine.checkOptions(arguments) }
        do {
            try MLPCommandLine.checkOptions(arguments)
        } catch {
            #expect(error.description == message)
        }
        if arguments != ["frobnicate"] {
            let result = try CommandRunner("check-options").run(arguments)
            #expect(result.status == 2 && result.stderr == "mlp: \(message)\n")
        }
    }
}
