import Foundation
import Kernels
import MLP
import MLPData
import Testing

/// The CSV reader's decisions and checks, on in-memory text.
@Suite("CSV reader")
struct CSVReaderTests {
    func read(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> LabelledTable {
        try CSVReader(name: "t.csv", text: text, options: options).read()
    }

    func error(_ text: String, _ options: CSVOptions = CSVOptions()) -> String {
        do {
            _ = try read(text, options)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("a UTF-8 byte-order mark is skipped: the first row is data and its label has no BOM")
    func byteOrderMark() throws {
        let table = try read("\u{FEFF}1,2,0\n3,4,1\n")
        #expect(table.count == 2 && table.labels == ["0", "1"] && table.layout?.hasHeader == false)
        let headed = try read("\u{FEFF}a,b,label\n1,2,x\n")
        #expect(headed.layout?.columnNames == ["a", "b", "label"] && headed.count == 1)
    }

    @Test("header rule: NA in the first row is a missing value, not a header; text in row 1 only is a header; text in rows 1 and 2 is an error at line 1")
    func headerRule() throws {
        #expect(error("NA,2,0\n3,4,1\n") == "t.csv:1:1: missing value 'NA'; choose what to do with missing values: drop or mean")
        let filled = try read("NA,2,0\n3,4,1\n5,6,1\n", CSVOptions(missing: .mean))
        #expect(filled.count == 3 && filled.features[0, 0] == 4 && filled.filledValues == 1 && filled.layout?.hasHeader == false)
        let dropped = try read("NA,2,0\n3,4,1\n5,6,1\n", CSVOptions(missing: .drop))
        #expect(dropped.count == 2 && dropped.droppedRows == 1 && dropped.lines == [2, 3])
        let header = try read("x,y,label\n1,2,a\n")
        #expect(header.layout?.hasHeader == true && header.layout?.headerDetected == true && header.lines == [2])
        #expect(error("x,y,label\nu,v,a\n") == "t.csv:1:1: 'x' is not a number (if the first line is a header, say so)")
        let forced = try read("1,2,3\n4,5,6\n", CSVOptions(header: true))
        #expect(forced.count == 1 && forced.layout?.columnNames == ["1", "2", "3"])
        #expect(error("", CSVOptions()) == "t.csv: file is empty")
        #expect(error("a,b,c\n") == "t.csv: no data rows")
    }

    @Test("RFC 4180 quotes: delimiters, doubled quotes and newlines inside quoted fields; CRLF line ends")
    func quotedFields() throws {
        let table = try read("a,b,label\r\n1,\"2\",\"x, y\"\r\n3,4,\"say \"\"hi\"\"\"\r\n5,6,\"two\nlines\"\n7,8,z")
        #expect(table.labels == ["x, y", "say \"hi\"", "two\nlines", "z"])
        #expect(table.lines == [2, 3, 4, 6])
        #expect(table.features[0, 1] == 2 && table.features[3, 0] == 7)
        #expect(error("1,2,\"open\n") == "t.csv:1: a quoted field is not closed before the end of the file")
        #expect(error("1,\"2\"x,3\n").hasPrefix("t.csv:1:2: text after the closing quote"))
    }

    @Test("delimiters: detected comma, semicolon, tab and spaces, or given")
    func delimiters() throws {
        #expect(try read("1;2;0\n3;4;1\n").layout?.delimiter == ";")
        #expect(try read("1\t2\t0\n3\t4\t1\n").layout?.delimiter == "\t")
        let spaced = try read("  1   2  0 \n3 \t4 1\n\"5\" 6 \"x y\"  \n")
        #expect(spaced.layout?.delimiter == " " && spaced.features.columns == 2 && spaced.labels == ["0", "1", "x y"] && spaced.features[2, 0] == 5)
        let given = try read("1|2|0\n3|4|1\n", CSVOptions(delimiter: "|"))
        #expect(given.layout?.delimiterDetected == false && given.features.columns == 2)
    }

    @Test("label column: last by default, first, a number, a header name; a missing name lists the header")
    func labelColumn() throws {
        #expect(try read("1,2,0\n").labels == ["0"])
        #expect(try read("0,1,2\n", CSVOptions(labelColumn: .first)).labels == ["0"])
        #expect(try read("1,9,2\n", CSVOptions(labelColumn: .index(1))).labels == ["9"])
        let named = try read("a,kind,b\n1,x,2\n", CSVOptions(labelColumn: .named("kind")))
        #expect(named.labels == ["x"] && named.features.columns == 2 && named.layout?.labelIndex == 1)
        #expect(error("a,b\n1,2\n", CSVOptions(labelColumn: .named("kind"))) == "t.csv:1: no column named 'kind' in the header ('a', 'b')")
        #expect(error("1,2\n", CSVOptions(labelColumn: .index(4))) == "t.csv:1: label column 5 does not exist: rows have 2 fields")
        #expect(LabelColumn("3") == .index(2) && LabelColumn("species").description == "species" && LabelColumn("last") == .last)
    }

    @Test("class labels: 1, 1.0 and 01 are one class; words keep their names; numbers sort numerically before words")
    func classLabels() throws {
        let table = try read("1,1\n2,1.0\n3,01\n4,10\n5,2\n6,2\n7,cat\n8,cat\n9,1\n10,2\n11,10\n12,cat\n")
        let classes = try table.classes()
        #expect(classes == ["1", "2", "10", "cat"])
        let targets = try table.oneHot(classes: classes)
        #expect((0..<3).allSatisfy { targets[$0, 0] == 1 })
    }

    @Test("a continuous-looking label is refused: non-integers, more values than half the rows, more than 1000; an expected class count overrides")
    func continuousLabels() throws {
        let fractions = (0..<40).map { "\($0),\(Double($0 % 4) + 0.5)" }.joined(separator: "\n")
        #expect(throws: DataError.self) { try read(fractions).classes() }
        let integers = (0..<40).map { "\($0),\($0 % 25)" }.joined(separator: "\n")
        #expect(throws: DataError.self) { try read(integers).classes() }
        #expect(try read(integers).classes(expected: 25).count == 25)
        #expect(throws: DataError.self) { try read(integers).classes(expected: 10) }
        let many = (0..<5000).map { "\($0),\($0 % 1500)" }.joined(separator: "\n")
        #expect(throws: DataError.self) { try read(many).classes() }
    }

    @Test("errors cut long fields and name line and column; ragged rows; non-finite values")
    func errors() throws {
        let long = String(repeating: "x", count: 100_000)
        let message = error("1,2,0\n\(long),3,1\n")
        #expect(message == "t.csv:2:1: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100000 bytes) is not a number")
        #expect(error("1,2,0\n3,1\n") == "t.csv:2: ragged row: 2 fields, expected 3 as in the first row")
        #expect(error("1,2,0\n3,inf,1\n") == "t.csv:2:2: value 'inf' is not finite")
        #expect(error("1,1e39,0\n") == "t.csv:1:2: value '1e39' is not finite")
    }

    @Test("numbers parse to the same Float as strtof (fast path and fallback), over many spellings")
    func numbers() throws {
        var generator = Xoshiro256(seed: 7)
        var texts = ["0", "-0", "+1", "16777216", "16777217", "0.1", "3.4028235e38", "1e-45", "0.0000000001", ".5", "5.", "1E5", "-2.5e-3", "123456.789"]
        for _ in 0..<3000 {
            let digits = Int.random(in: 1...12, using: &generator), point = Int.random(in: 0...digits, using: &generator)
            var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            if point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        let table = try read(texts.map { "\($0),0" }.joined(separator: "\n"), CSVOptions(header: false))
        for (i, text) in texts.enumerated() {
            let expected = strtof(text, nil)
            #expect(table.features[i, 0].bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test("chunks: rows in file order, the same values as one read; means are refused")
    func chunks() throws {
        let text = "a,b,label\n" + (0..<1000).map { "\($0),\($0 * 2),\($0 % 3)" }.joined(separator: "\n")
        let whole = try read(text)
        var rows: [Float] = [], sizes: [Int] = []
        let layout = try CSVReader(name: "t.csv", text: text).forEachChunk(rows: 300) { chunk in
            sizes.append(chunk.count)
            rows += (0..<chunk.count).map { chunk.features[$0, 1] }
        }
        #expect(sizes == [300, 300, 300, 100] && rows == (0..<1000).map { whole.features[$0, 1] } && layout.hasHeader)
        #expect(throws: DataError.self) { try CSVReader(name: "t.csv", text: text, options: CSVOptions(missing: .mean)).forEachChunk(rows: 10) { _ in } }
    }

    @Test("a file larger than the reader's 1 MiB window reads the same as the same text in memory")
    func largeFile() throws {
        let text = "x,y,label\n" + (0..<60_000).map { "\(Double($0) * 0.25),\"\($0 % 7)\",c\($0 % 4)" }.joined(separator: "\r\n")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reader-\(getpid()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try CSVReader(path: path).read(), fromText = try read(text)
        #expect(fromFile.count == 60_000 && fromFile.features == fromText.features && fromFile.labels == fromText.labels && fromFile.lines == fromText.lines)
    }

    @Test("the built-in digits: 1347 and 450 rows of 64 features, classes 0…9")
    func builtinDigits() throws {
        let train = BuiltinDigits.table(.train), test = BuiltinDigits.table(.test)
        #expect(train.count == 1347 && test.count == 450 && train.features.columns == 64)
        #expect(try train.classes() == (0...9).map(String.init))
    }
}
