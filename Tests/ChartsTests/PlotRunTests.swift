// plotdist's run as a library: the summary line, the table in each format as written, and the
// errors that end a run without a chart.
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

@Suite struct PlotRunTests {
    static let comparison = Comparison(datasets: [
        tally("REAL", [["people"], ["people"], ["street"], ["people"]], failed: 2),
        tally("GEN", [["street"], ["people"], ["street"]]),
    ])

    /// What `write` puts through an NDJSONWriter, read back from a temporary file.
    static func written(_ write: (NDJSONWriter) throws -> Void) throws -> String {
        let file = TemporaryFile("", suffix: ".out")
        defer { file.remove() }
        let fd = open(file.path, O_WRONLY | O_TRUNC)
        try #require(fd >= 0)
        try write(NDJSONWriter(fileDescriptor: fd, name: file.path, ownsDescriptor: true))
        return String(decoding: try #require(Files.read(file.path)), as: UTF8.self)
    }

    @Test func summaryLineNamesDatasetsCategoriesStatisticsAndFiles() {
        let line = PlotRun.summaryLine(Self.comparison, wrote: ["out.png", "report/index.html"], duration: "0.4 s")
        let parts = line.split(separator: "; ").map(String.init)
        #expect(parts.count == 5)
        #expect(parts[0] == "plotdist: REAL 4 images (2 failed), GEN 3 images (0 failed)")
        #expect(parts[1] == "2 categories")
        #expect(parts[2].hasPrefix("chi2 = ") && parts[2].contains("(dof 1), p = ") && parts[2].contains("Cramér's V = "))
        #expect(parts[3].hasPrefix("JSD = ") && parts[3].hasSuffix(" bits"))
        #expect(parts[4] == "wrote out.png, report/index.html — 0.4 s")
    }

    @Test func summaryLineWithoutFilesEndsAtTheStatistics() {
        let line = PlotRun.summaryLine(Self.comparison, wrote: [], duration: "1 s")
        #expect(!line.contains("wrote"))
        #expect(line.hasSuffix(" bits — 1 s"))
    }

    @Test func csvTableIsWrittenLineByLine() throws {
        let text = try Self.written { try PlotRun.writeTable(Self.comparison, format: .csv, text: .english, to: $0) }
        #expect(text == ComparisonTable.csv(Self.comparison))
        #expect(text.split(separator: "\n").count == 3)  // header and two categories
        #expect(text.hasPrefix("category,REAL_count,"))
    }

    @Test func markdownTableIsWrittenInTheLanguageGiven() throws {
        let text = try Self.written { try PlotRun.writeTable(Self.comparison, format: .markdown, text: .german, to: $0) }
        #expect(text == ComparisonTable.markdown(Self.comparison, text: .german))
        #expect(text.hasPrefix("|") && text.hasSuffix("\n"))
    }

    @Test func ndjsonTableIsOneRecordPerCategoryAndTheSummary() throws {
        let text = try Self.written { try PlotRun.writeTable(Self.comparison, format: .ndjson, text: .english, to: $0) }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last?.hasPrefix("{\"summary\":") == true)
    }

    @Test func noUsableImageEndsTheRunWithStatusOneAndAWarningPerDataset() throws {
        let real = TemporaryFile("""
            {"id":"a","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}

            """)
        defer { real.remove() }
        var warnings: [String] = []
        let output = try Self.written { writer in
            var plot = PlotRun(datasets: [PlotRun.Dataset(name: "REAL", path: real.path)],
                               chartOptions: ChartOptions(), format: .csv, table: writer)
            plot.warning = { warnings.append($0) }
            let error = #expect(throws: PlotError.self) { try plot.run() }
            #expect(error?.message == "no usable image in any dataset (REAL 1 failed); no chart written")
            #expect(error?.exitStatus == 1)
        }
        #expect(output.isEmpty)  // no table either
        #expect(warnings == ["dataset REAL has no usable images (1 failed)"])
    }

    @Test func rankingByAnUnknownDatasetIsAUsageError() throws {
        let real = TemporaryFile("{\"id\":\"a\",\"categories\":[\"people\"]}\n")
        defer { real.remove() }
        _ = try Self.written { writer in
            let plot = PlotRun(datasets: [PlotRun.Dataset(name: "REAL", path: real.path)], rankBy: "GEN",
                               chartOptions: ChartOptions(), format: .csv, table: writer)
            let error = #expect(throws: PlotError.self) { try plot.compare() }
            #expect(error?.message == "--rank-by GEN: no such dataset (datasets: REAL; or max, diff)")
            #expect(error?.exitStatus == 2)
        }
    }
}
