// Reading datasets: NDJSON with error records and bad lines, the dataset field on stdin-style
// input, and the reference CSV with quoted fields.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import Testing
@testable import Charts

/// A temporary file with `text`, removed by `remove()`.
struct TemporaryFile {
    let path: String

    init(_ text: String, suffix: String = ".ndjson") {
        var template = Array("/tmp/charts-test-XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        precondition(fd >= 0, "mkstemps failed")
        var text = text
        text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
        close(fd)
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() { unlink(path) }
}

@Suite struct DatasetCollectorTests {
    @Test func errorRecordsAndBadLinesCountAsFailedWithTheirLine() throws {
        let file = TemporaryFile("""
            {"id":"a","categories":["people","street"],"image":{"path":"r/a.jpg"}}
            {"id":"b","categories":["people"],"path":"r/b.jpg"}
            {"id":"c","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}
            not json
            {"id":"d","summary":"no categories yet"}
            {"id":"e","categories":["people","people"]}

            """)
        defer { file.remove() }
        let collector = DatasetCollector(keepImages: true)
        try collector.read(path: file.path, dataset: "REAL")
        let real = try #require(collector.tallies.first)
        #expect(real.name == "REAL" && real.images == 3 && real.failed == 3)
        #expect(real.counts == ["people": 3, "street": 1])
        #expect(real.entries.map(\.path) == ["r/a.jpg", "r/b.jpg", nil])
        #expect(collector.problems.map(\.line) == [4, 5])
        #expect(collector.problems.first?.description.hasPrefix("\(file.path):4: not valid JSON") == true)
    }

    @Test func anIDCountedTwiceInADatasetIsOneImageAndOneFailure() throws {
        let file = TemporaryFile("""
            {"id":"x","dataset":"GEN","categories":["art"]}
            {"id":"x","dataset":"GEN","categories":["people"]}
            {"id":"x","dataset":"REAL","categories":["people"]}
            {"id":"y","dataset":"GEN","categories":["art"]}

            """)
        defer { file.remove() }
        let collector = DatasetCollector(keepImages: false)
        try collector.read(path: file.path, dataset: nil)
        #expect(collector.tallies.map(\.name) == ["GEN", "REAL"])
        #expect(collector.tallies.map(\.images) == [2, 1])
        #expect(collector.tallies.map(\.failed) == [1, 0])
        #expect(collector.tallies[0].counts == ["art": 2])
        #expect(collector.problems.map(\.line) == [2])
        #expect(collector.problems.first?.reason.contains("duplicate_id") == true)
    }

    @Test func recordsNameTheirDatasetWhenNoNameIsGiven() throws {
        let file = TemporaryFile("""
            {"id":"1","dataset":"GEN","categories":["art"]}
            {"id":"2","dataset":"REAL","categories":["people"]}
            {"id":"3","dataset":"GEN","categories":["art","people"]}
            {"id":"4","categories":["art"]}

            """)
        defer { file.remove() }
        let collector = DatasetCollector(keepImages: false)
        try collector.read(path: file.path, dataset: nil)
        #expect(collector.tallies.map(\.name) == ["GEN", "REAL"])
        #expect(collector.tallies.map(\.images) == [2, 1])
        #expect(collector.tallies[0].entries.isEmpty)
        #expect(collector.problems.count == 1 && collector.problems[0].line == 4)
    }

    @Test func referenceCSVWithQuotedFieldsAndLineBreaks() throws {
        let file = TemporaryFile(#"""
            image_name,description,categories
            a.jpg,"A man, a dog and ""quotes""","people, animals"
            b.jpg,"Two lines
            of description",street
            c.jpg,plain,"['food', 'drinks']"
            d.jpg,no categories,

            """#, suffix: ".csv")
        defer { file.remove() }
        let collector = DatasetCollector(keepImages: true)
        try collector.read(path: file.path, dataset: "REAL")
        let real = try #require(collector.tallies.first)
        #expect(real.images == 4)
        #expect(real.entries.map(\.id) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
        #expect(real.entries.map(\.categories) == [["people", "animals"], ["street"], ["food", "drinks"], []])
    }

    @Test func csvWithoutACategoriesColumnIsAnInputError() {
        let file = TemporaryFile("name,label\na.jpg,x\n", suffix: ".csv")
        defer { file.remove() }
        #expect(throws: InputError.self) { try DatasetCollector(keepImages: false).read(path: file.path, dataset: "X") }
    }

    @Test func anUnclosedQuoteIsAnInputErrorNamingItsLine() {
        let file = TemporaryFile("image_name,description,categories\na.jpg,x,people\nb.jpg,\"never closed,people\n", suffix: ".csv")
        defer { file.remove() }
        do {
            try DatasetCollector(keepImages: false).read(path: file.path, dataset: "REAL")
            Issue.record("no error")
        } catch {
            #expect(error.description == "\(file.path): a quoted field opened on line 3 is never closed")
        }
    }

    @Test func aMissingFileIsAnInputErrorNamingIt() {
        do {
            try DatasetCollector(keepImages: false).read(path: "/nonexistent/real.ndjson", dataset: "REAL")
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("/nonexistent/real.ndjson"))
        }
    }
}
