import FuzzDriver
import MLPCommand

/// One input: a command line, its words separated by NUL bytes (the command
/// first), checked as `mlp` checks it before reading a file.
func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let words = UnsafeBufferPointer(start: data, count: size).split(separator: 0, omittingEmptySubsequences: false)
    _ = try? MLPCommandLine.checkOptions(words.map { String(decoding: $0, as: UTF8.self) })
    return 0
}

@_cdecl("FuzzArguments_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
