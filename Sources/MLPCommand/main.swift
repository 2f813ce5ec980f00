// mlp: train, evaluate and run multilayer perceptrons from the command line
// (Docs/CLI.md).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Kernels
import MLP

let usage = """
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

var console = Console()
var arguments = Array(CommandLine.arguments.dropFirst())
if let verbose = arguments.firstIndex(of: "--verbose") {
    arguments.remove(at: verbose)
    console.error("mlp: kernels \(BuildConfiguration.summary); \(Threading.threadCount) threads")
}
let command = arguments.isEmpty ? "help" : arguments.removeFirst()
do {
    let status: Int32
    switch command {
    case "train": status = try TrainCommand.run(arguments, console: &console)
    case "evaluate": status = try EvaluateCommand.run(arguments, console: &console)
    case "predict": status = try PredictCommand.run(arguments, console: &console)
    case "info": status = try InfoCommand.run(arguments, console: &console)
    case "convert": status = try ConvertCommand.run(arguments, console: &console)
    case "pca": status = try PCACommand.run(arguments, console: &console)
    case "autoencode": status = try AutoencodeCommand.run(arguments, console: &console)
    case "help", "--help", "-h":
        console.out(usage)
        status = 0
    default:
        throw UsageError(description: "unknown command '\(command)'\n\n\(usage)")
    }
    exit(status)
} catch let error as UsageError {
    console.error("mlp: \(error)")
    exit(2)
} catch {
    console.error("mlp: \(error)")
    exit(1)
}
