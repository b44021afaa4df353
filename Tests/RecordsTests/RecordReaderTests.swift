// Reading NDJSON input: bad lines become items with line numbers; lines of any length and
// ending are handled; memory does not depend on the input size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Records

@Suite struct RecordReaderTests {
    @Test func badLinesBecomeInvalidItemsWithLineNumbers() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("in.ndjson", "{\"id\":\"a\"}\nnot json\n[1,2]\n\n   \n\"text\"\n{\"id\":\"b\"}")
        let reader = try RecordReader(path: dir.file("in.ndjson"))
        var items: [InputItem] = []
        while let item = try reader.next() { items.append(item) }
        #expect(items.count == 7)
        guard case .record(let first, 1) = items[0] else { Issue.record("line 1 should be a record"); return }
        #expect(first.id == "a")
        let invalid = items[1...5].compactMap { item -> (Int, String)? in
            if case .invalid(let line, let reason, _) = item { return (line, reason) }
            return nil
        }
        #expect(invalid.map(\.0) == [2, 3, 4, 5, 6])
        #expect(invalid[0].1.hasPrefix("not valid JSON"))
        #expect(invalid[1].1 == "not a JSON object (an array)")
        #expect(invalid[2].1 == "empty line")
        #expect(invalid[3].1 == "empty line")
        #expect(invalid[4].1 == "not a JSON object (a string)")
        guard case .record(let last, 7) = items[6] else { Issue.record("line 7 should be a record"); return }
        #expect(last.id == "b")
    }

    @Test func errorRecordForABadLineNamesFileAndLine() {
        let record = InputItem.errorRecord(stage: "img-resize", source: "in.ndjson", line: 12, reason: "empty line", raw: "")
        #expect(record.error?.code == "bad_input")
        #expect(record.error?.message == "in.ndjson:12: empty line")
        #expect(record["line"]?.intValue == 12)
        #expect(ResumeJournal.key(for: record) != nil)
    }

    @Test func textModeAcceptsPlainLinesAsWrittenAndSkipsBlankOnes() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("in.txt", "\u{FEFF}photos/a.jpg\r\n\r\n  b.png  \n{\"id\":\"c\"}\n")
        let reader = try RecordReader(path: dir.file("in.txt"), mode: .ndjsonOrText)
        var texts: [String] = []
        var ids: [String] = []
        while let item = try reader.next() {
            switch item {
            case .text(let text, _): texts.append(text)
            case .record(let record, _): ids.append(record.id ?? "")
            case .invalid: Issue.record("no line should be invalid")
            }
        }
        // Only the line ending and the BOM go: a name or path may begin or end with a space.
        #expect(texts == ["photos/a.jpg", "  b.png  "])
        #expect(ids == ["c"])
    }

    @Test func linesLongerThanTheBufferAndSplitAcrossReadsAreWhole() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let long = String(repeating: "é", count: 5000)
        var text = ""
        for i in 0..<200 { text += "{\"id\":\"\(i)\",\"s\":\"\(i % 7 == 0 ? long : "x")\"}\n" }
        dir.write("in.ndjson", text)
        let fd = open(dir.file("in.ndjson"), O_RDONLY)
        let reader = RecordReader(LineReader(fileDescriptor: fd, name: "in", ownsDescriptor: true, chunkSize: 64))
        var count = 0
        while let item = try reader.next() {
            guard case .record(let record, let line) = item else { Issue.record("line \(item.line) invalid"); continue }
            #expect(record.id == String(count))
            #expect(line == count + 1)
            #expect(record["s"]?.stringValue == (count % 7 == 0 ? long : "x"))
            count += 1
        }
        #expect(count == 200)
    }

    @Test func overlongLineBecomesOneInvalidItemAndReadingGoesOn() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        dir.write("in.ndjson", "{\"id\":\"a\"}\n{\"id\":\"" + String(repeating: "x", count: 1000) + "\"}\n{\"id\":\"b\"}\n")
        let fd = open(dir.file("in.ndjson"), O_RDONLY)
        let reader = RecordReader(LineReader(fileDescriptor: fd, name: "in", ownsDescriptor: true, chunkSize: 64, maximumLineLength: 256))
        var seen: [String] = []
        while let item = try reader.next() {
            switch item {
            case .record(let r, let line): seen.append("\(line):\(r.id ?? "")")
            case .invalid(let line, _, _): seen.append("\(line):invalid")
            case .text: seen.append("text")
            }
        }
        #expect(seen == ["1:a", "2:invalid", "3:b"])
    }

    @Test func writerEscapesAndEndsEveryRecordWithANewline() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let fd = open(dir.file("out.ndjson"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let writer = NDJSONWriter(fileDescriptor: fd, name: "out", ownsDescriptor: true)
        try writer.write(["id": "a", "s": "line\nbreak \"q\""])
        try writer.write(["id": "b"])
        try writer.flush()
        #expect(dir.read("out.ndjson") == "{\"id\":\"a\",\"s\":\"line\\nbreak \\\"q\\\"\"}\n{\"id\":\"b\"}\n")
        #expect(writer.recordsWritten == 2)
    }
}
