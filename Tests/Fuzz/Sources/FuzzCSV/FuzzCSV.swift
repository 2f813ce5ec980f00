import FuzzDriver
import MLP
import MLPData

/// One input: the first byte picks the options, the rest is the file.
func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size > 0 else { return 0 }
    let choice = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let labels: [LabelColumn] = [.last, .first, .index(1), .named("label"), .none]
    let options = CSVOptions(
        delimiter: [nil, ",", " ", "\t"][Int(choice >> 6)],
        header: [nil, true, false][Int(choice >> 4 & 3) % 3],
        labelColumn: labels[Int(choice >> 1 & 7) % labels.count],
        missing: choice & 1 == 0 ? .error : .mean)
    let reader = CSVReader(name: "fuzz.csv", bytes: bytes, options: options)
    if let table = try? reader.read() {
        _ = try? table.regressionDataset()
        if let classes = try? table.classes() { _ = try? table.classificationDataset(classes: classes) }
    }
    _ = try? reader.forEachChunk(rows: 3) { _ in }
    return 0
}

@_cdecl("FuzzCSV_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
