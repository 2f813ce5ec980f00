import Foundation

/// Runs the built `mlp` executable in a fresh temporary directory of its
/// own: `name` plus a unique suffix, so that tests running in parallel (the
/// cases of a parameterized test among them) never share or remove each
/// other's directory.
struct CommandRunner {
    let directory: URL

    init(_ name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-cli-\(getpid())-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The `mlp` binary beside the test bundle (SwiftPM builds it first: this
    /// test target depends on the executable target).
    static let executable: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("mlp")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("mlp executable not found near \(CommandLine.arguments[0])")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    /// Starts `mlp arguments…` in the directory with its outputs piped.
    private func start(_ arguments: [String]) throws -> (process: Process, out: Pipe, err: Pipe) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `mlp arguments…` and waits for it.
    func run(_ arguments: [String]) throws -> Result {
        let (process, out, err) = try start(arguments)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs `mlp arguments…`, sends SIGINT once its standard error contains
    /// `marker`, and waits for it to end.
    func interrupt(_ arguments: [String], after marker: String) throws -> Result {
        let (process, out, err) = try start(arguments)
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        process.interrupt()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        seen += err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: seen, as: UTF8.self))
    }

    /// Writes `text` to a file in the directory and returns its name.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return name
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return name
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) }

    func contents(_ name: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }

    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path) }
}

/// A small classification CSV: 3 separable classes by the sign pattern of two features.
func blobsCSV(rows: Int, seed: Int, delimiter: String = ",", header: Bool = false, labelLast: Bool = false) -> String {
    var state = UInt64(seed * 7919 + 1)
    func random() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    var lines: [String] = header ? [(labelLast ? ["x1", "x2", "x3", "label"] : ["label", "x1", "x2", "x3"]).joined(separator: delimiter)] : []
    for i in 0..<rows {
        let label = ["red", "green", "blue"][i % 3]
        let center: [Double] = [[2, 0, 0], [0, 2, 0], [0, 0, 2]][i % 3]
        let x = center.map { String(format: "%.3f", $0 + random() * 0.8) }
        lines.append((labelLast ? x + [label] : [label] + x).joined(separator: delimiter))
    }
    return lines.joined(separator: "\n") + "\n"
}
