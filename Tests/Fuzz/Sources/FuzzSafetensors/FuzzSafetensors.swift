import Kernels
import MLP

/// One input: a safetensors file; if it loads, it must also predict.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? ModelFile(safetensorsBytes: bytes, path: "fuzz.safetensors") {
        _ = file.network.predict(Matrix(rows: 2, columns: file.network.inputs))
    }
    return 0
}
