import FuzzDriver
import Kernels
import MLP

/// One input: a safetensors file; if it loads, it must also predict.
func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? ModelFile(safetensorsBytes: bytes, path: "fuzz.safetensors") {
        _ = try? file.network.predict(Matrix(rows: 2, columns: file.network.inputs))
    }
    return 0
}

@_cdecl("FuzzSafetensors_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
