import Foundation
import Testing

/// Saving over an existing model is atomic: a process killed at any moment
/// leaves the old model or the new one, never a damaged file, and the next
/// save clears the temporary file it left.
@Suite("mlp command: SIGKILL during saves")
struct KillDuringSaveTests {
    @Test("40 runs killed at random moments around their save: the target always loads; no temporary file survives the next save")
    func killedSaves() throws {
        let cli = try CommandRunner("kill")
        let train = ["train", "--epochs", "1", "--hidden", "1500,500", "--save", "target.mlp", "--quiet"]
        #expect(try cli.run(train).status == 0)
        // How long a whole run takes, to spread the kills over it.
        let start = Date()
        #expect(try cli.run(train).status == 0)
        let runSeconds = Date().timeIntervalSince(start)
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<40 {
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = train
            process.currentDirectoryURL = cli.directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0.3...1.05, using: &generator) * runSeconds * 1e6))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            let info = try cli.run("info", "--model", "target.mlp")
            #expect(info.status == 0, "target damaged: \(info.stderr)")
        }
        #expect(killed > 0)
        #expect(try cli.run(train).status == 0)
        let files = try cli.files()
        #expect(files.allSatisfy { !$0.contains(".tmp-") }, "\(files)")
    }
}
