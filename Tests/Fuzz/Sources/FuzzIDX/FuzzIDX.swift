import FuzzDriver
import MLPData

/// One input: the first byte says where the images file ends and the labels file starts.
func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let split = min(bytes.count, Int(data[0]))
    _ = try? IDXReader.read(imageBytes: Array(bytes[..<split]), labelBytes: Array(bytes[split...]), images: "images", labels: "labels")
    return 0
}

@_cdecl("FuzzIDX_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
