import MLPCommand

// mlp: train, evaluate and run multilayer perceptrons from the command line
// (Docs/CLI.md); the command itself is the MLPCommand library.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(MLPCommandLine.run(Array(CommandLine.arguments.dropFirst())))
