import MLPData

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a CSV file with `MLPData.CSVReader`: best of three whole reads of
/// `--file` (Benchmarks/compare_loading.py times numpy on the same file in
/// the same run).
struct CSVSuite {
    let options: Options

    func run() {
        guard let path = options.filePath else { Options.fail("csv needs --file FILE (Benchmarks/compare_loading.py writes one)") }
        var best = Double.infinity, rows = 0, columns = 0
        for _ in 0..<3 {
            let seconds = Stopwatch.time {
                do {
                    let table = try CSVReader(path: path).read()
                    rows = table.count
                    columns = table.features.columns + 1
                } catch {
                    Options.fail("\(error)")
                }
            }
            best = min(best, seconds)
        }
        let megabytes = Double(CSVReader.fileSize(path)) / 1e6
        if options.json {
            print(
                "{\"suite\":\"csv\",\"file\":\"\(path)\",\"rows\":\(rows),\"fields\":\(columns),\"seconds\":\(best),\"megabytes_per_second\":\(megabytes / best)}"
            )
        } else {
            print(
                "csv: \(rows) rows × \(columns) fields, \(Report.fixed(megabytes, 1)) MB: best of 3 \(Report.fixed(best, 3)) s (\(Report.fixed(megabytes / best, 0)) MB/s)"
            )
        }
    }
}
