import Kernels
import MLP

/// The `mlp` command as a library: the executable is one line around
/// ``run(_:)``, and ``checkOptions(_:)`` lets a wrapper (or a fuzzer) refuse
/// a bad command line without running it (Docs/CLI.md).
public enum MLPCommandLine {
    static let usage = """
        usage: mlp <command> [options]

        commands:
          train      train a network (default: on the built-in UCI digits) and save it
          evaluate   loss, accuracy and confusion matrix of a saved model on labelled data
          predict    predictions of a saved model for each row of a file
          info       describe a saved model
          convert    export a model as safetensors (PyTorch's layout), or import one
          pca        principal component analysis: variance explained, projections, plot
          autoencode train an autoencoder and compare its reconstruction error with PCA's
          help       this text; 'mlp <command> --help' lists a command's options

        Every command also takes --verbose: first, on standard error, which kernel
        variant runs on this CPU (Docs/Building.md).

        """

    /// Runs `mlp` with `arguments` (without the program name): results on
    /// standard output, notes and errors on standard error. Returns the exit
    /// status: 0, 1 for an error, 2 for a usage error, 130 after Ctrl-C.
    ///
    /// - Parameter arguments: the words of the command line, without the program name.
    public static func run(_ arguments: [String]) -> Int32 {
        var console = Console()
        var arguments = arguments
        if let verbose = arguments.firstIndex(of: "--verbose") {
            arguments.remove(at: verbose)
            console.error("mlp: kernels \(BuildConfiguration.summary); \(Threading.threadCount) threads")
        }
        let command = arguments.isEmpty ? "help" : arguments.removeFirst()
        do {
            switch command {
            case "train": return try TrainCommand.run(arguments, console: &console)
            case "evaluate": return try EvaluateCommand.run(arguments, console: &console)
            case "predict": return try PredictCommand.run(arguments, console: &console)
            case "info": return try InfoCommand.run(arguments, console: &console)
            case "convert": return try ConvertCommand.run(arguments, console: &console)
            case "pca": return try PCACommand.run(arguments, console: &console)
            case "autoencode": return try AutoencodeCommand.run(arguments, console: &console)
            case "help", "--help", "-h":
                console.out(usage)
                return 0
            default:
                throw UsageError(description: "unknown command '\(command)'\n\n\(usage)")
            }
        } catch let error as UsageError {
            console.error("mlp: \(error)")
            return 2
        } catch {
            console.error("mlp: \(error)")
            return 1
        }
    }

    /// Parses and checks the options of a command line (without the program
    /// name) the way ``run(_:)`` does before it reads a file: unknown options,
    /// missing values, numbers out of range, contradicting options.
    ///
    /// - Parameter arguments: the words of the command line, without the program name.
    /// - Throws: ``UsageError``, the line `run` would print with exit status 2.
    public static func checkOptions(_ arguments: [String]) throws(UsageError) {
        var arguments = arguments.filter { $0 != "--verbose" }
        let command = arguments.isEmpty ? "help" : arguments.removeFirst()
        let checks: [String: (specs: [OptionSpec], check: (Arguments) throws -> Void)] = [
            "train": (TrainCommand.specs, { _ = try TrainSettings($0) }),
            "autoencode": (AutoencodeCommand.specs, { _ = (try TrainSettings($0), try $0.int("--code", atLeast: 1)) }),
            "pca": (PCACommand.specs, { _ = (try DataOptions.csv($0), try $0.int("--components", atLeast: 1)) }),
            "evaluate": (EvaluateCommand.specs, { _ = try DataOptions.csv($0) }),
            "predict": (PredictCommand.specs, { _ = try DataOptions.csv($0) }),
            "info": (InfoCommand.specs, { _ in }),
            "convert": (ConvertCommand.specs, { _ in }),
        ]
        if ["help", "--help", "-h"].contains(command) { return }
        guard let (specs, check) = checks[command] else { throw UsageError(description: "unknown command '\(command)'") }
        do {
            try check(try Arguments(command: command, specs: specs, arguments: arguments))
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError(description: "\(error)")
        }
    }
}
