// The printed table: field names and order of the NDJSON rows and summary, CSV quoting,
// Markdown cells.
import Records
import Testing
@testable import Charts

@Suite struct ComparisonTableTests {
    static let comparison = Comparison(datasets: [
        tally("REAL", [["people"], ["people", "food, drinks"], ["street"], ["people"]], failed: 1),
        tally("GEN", [["food, drinks"], ["people"], ["art|craft"]]),
    ])

    @Test func ndjsonRowsCarryEveryFieldInOrder() throws {
        let records = ComparisonTable.records(Self.comparison)
        #expect(records.count == 5)  // four categories and the summary
        let people = records[0]
        #expect(people.keys == ["category", "datasets", "diff_pp", "log2_lift", "p_value", "q_value"])
        #expect(people["category"]?.stringValue == "people")
        let real = try #require(people["datasets"]?["REAL"]?.objectValue)
        #expect(real.keys == ["count", "percent", "ci"])
        #expect(real["count"]?.intValue == 3 && real["percent"]?.doubleValue == 75)
        let interval = (real["ci"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        #expect(interval.count == 2 && interval[0] < 75 && interval[1] > 75)
        #expect(close(people["diff_pp"]?.doubleValue, 100.0 / 3 - 75, relative: 1e-5))
        let summary = try #require(records.last?["summary"]?.objectValue)
        #expect(summary.keys == ["images", "failed", "chi2", "dof", "p_value", "jsd", "cramers_v"])
        #expect(summary["images"]?["REAL"]?.intValue == 4 && summary["images"]?["GEN"]?.intValue == 3)
        #expect(summary["failed"]?["REAL"]?.intValue == 1 && summary["failed"]?["GEN"]?.intValue == 0)
        #expect(summary["dof"]?.intValue == 3)
    }

    @Test func threeDatasetsHaveNoPairwiseFields() {
        let comparison = Comparison(datasets: [tally("A", [["x"]]), tally("B", [["x"], ["y"]]), tally("C", [["y"]])])
        let row = ComparisonTable.records(comparison)[0]
        #expect(row.keys == ["category", "datasets"])
    }

    @Test func csvQuotesFieldsWithCommas() {
        let lines = ComparisonTable.csv(Self.comparison).split(separator: "\n").map(String.init)
        #expect(lines[0] == "category,REAL_count,REAL_percent,REAL_ci_low,REAL_ci_high,GEN_count,GEN_percent,GEN_ci_low,GEN_ci_high,diff_pp,log2_lift,p_value,q_value")
        #expect(lines.count == 5)
        #expect(lines.contains { $0.hasPrefix("\"food, drinks\",1,25,") })
        #expect(lines.allSatisfy { !$0.hasPrefix("{") })
    }

    @Test func emulatedAnswersStampTheChartTheTableAndTheReport() throws {
        var real = tally("REAL", [["people"], ["street"]])
        real.emulated = 2
        let comparison = Comparison(datasets: [real, tally("GEN", [["people"]])])
        let stamp = "EMULATOR — not model output (2 images described or categorized by the Gemini emulator)"
        #expect(comparison.emulatorStamp == stamp)
        for kind in [ChartKind.single, .counts, .percent] {
            #expect(BarChart(comparison, options: ChartOptions(kind: kind)).subtitles.first == stamp, "\(kind)")
        }
        #expect(ComparisonTable.markdown(comparison).hasPrefix("**" + stamp + "**\n"))
        let pages = ReportPages(comparison: comparison, images: [:], thumbnails: [:])
        #expect(pages.index(charts: [], examples: 0).contains("<p class=\"stamp\"><strong>\(stamp)</strong></p>"))
        // Model answers carry no stamp.
        #expect(Self.comparison.emulatorStamp == nil)
        #expect(!ComparisonTable.markdown(Self.comparison).contains("EMULATOR"))
        #expect(BarChart(Self.comparison, options: ChartOptions(kind: .percent)).subtitles.allSatisfy { !$0.contains("EMULATOR") })
    }

    @Test func oneImageIsOneImage() {
        let comparison = Comparison(datasets: [tally("REAL", [["people"]]), tally("GEN", [["people"], ["art"]])])
        let markdown = ComparisonTable.markdown(comparison)
        #expect(markdown.contains("- REAL: 1 image, 0 failed") && markdown.contains("- GEN: 2 images, 0 failed"), "\(markdown)")
        #expect(BarChart.datasetLine(comparison, [0, 1]) == "REAL: 1 image  ·  GEN: 2 images")
        #expect(NumberText.images(0) == "0 images" && NumberText.images(1_200) == "1,200 images")
    }

    @Test func markdownEscapesPipesAndEndsWithTheSummary() {
        let markdown = ComparisonTable.markdown(Self.comparison)
        #expect(markdown.hasPrefix("| Category | REAL | GEN | Diff (pp) | log2 lift | p | q |\n| --- | ---: |"))
        #expect(markdown.contains("| art\\|craft | 0 · 0% [0.0–49.0] | 1 · 33.3% [6.1–79.2] |"))
        #expect(markdown.contains("- REAL: 4 images, 1 failed (not counted)"))
        #expect(markdown.contains("- Chi-square test of homogeneity: χ² = "))
    }
}
