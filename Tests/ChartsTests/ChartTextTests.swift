// ChartTextTests: a German chart and report carry the German texts of the ChartText table and
// none of its English ones; English stays the default.
import Foundation
import Testing
@testable import Charts

@Suite struct ChartTextTests {
    /// Two datasets of 400 images, 3 failed in REAL, 5 of GEN's from the emulator.
    static func comparison() -> Comparison {
        var comparison = RenderingTests.comparison(categories: 6)
        comparison.datasets[1].emulated = 5
        return comparison
    }

    /// Every English text of the table as it would appear for `comparison` (the functions
    /// applied to its names and numbers), without those German shares with it.
    static func englishTexts(_ comparison: Comparison) -> [String] {
        let en = ChartText.english, de = ChartText.german
        let names = comparison.datasetNames
        var texts = Mirror(reflecting: en).children.compactMap { $0.value as? String }
        texts += [en.images(400), en.failedNotCounted(3), en.singleTitle("REAL", 400), en.countsTitle(names), en.percentTitle(names),
                  en.topOf(5, 6), en.allCategories(6), en.rankedByDataset("REAL"), en.emulatorStamp(5),
                  en.datasetSummary("REAL", 400, 3), en.chiSquareUndefined, en.reportTitle(names), en.allCategoriesHeading(6),
                  en.examplesNote(3), en.imagesColumn("REAL"), en.intervalColumn("REAL"), "images", "Category"]
        let german = Set(Mirror(reflecting: de).children.compactMap { $0.value as? String })
        return texts.filter { !german.contains($0) && $0 != "en" }
    }

    static func svg(_ options: ChartOptions) throws -> String {
        let scene = BarChartLayout(measurer: try CairoTextMeasurer()).layout(BarChart(comparison(), options: options))
        return String(decoding: try SceneRenderer.render(scene, as: .svg), as: UTF8.self)
    }

    @Test(arguments: [ChartKind.percent, .counts, .single])
    func aGermanChartHasTheReferenceTextsAndNoEnglishOnes(kind: ChartKind) throws {
        let svg = try Self.svg(ChartOptions(kind: kind, top: 5, showIntervals: true, markSignificant: true, language: .de))
        let de = ChartText.german
        let expected: [String]
        switch kind {
        case .percent: expected = ["Normalisierter Vergleich der Kategorienverteilung", "Prozentualer Anteil der Bilder (%)", de.whiskers, de.sharesAddUp]
        case .counts: expected = ["Vergleich der Kategorienverteilung", "Anzahl der Bilder"]
        case .single: expected = ["Verteilung der Bildkategorien (insgesamt 400 Bilder)", "Anzahl der Bilder"]
        }
        for text in expected + ["Kategorien"] {
            #expect(svg.contains(">\(HTMLText.escape(text))</text>"), "missing: \(text)")
        }
        // Lines that go on with the ranking or the other dataset.
        for text in ["Top 5 von 6 Kategorien", "REAL: 400 Bilder (3 fehlgeschlagen, nicht gezählt)"] {
            #expect(svg.contains(">\(HTMLText.escape(text))"), "missing: \(text)")
        }
        if kind != .single { #expect(svg.contains("(basierend auf REAL)")) }
        let english = Self.englishTexts(Self.comparison()).filter { svg.contains(HTMLText.escape($0)) }
        #expect(english.isEmpty, "English in the German chart: \(english)")
    }

    @Test func englishIsTheDefault() throws {
        let svg = try Self.svg(ChartOptions(kind: .percent))
        #expect(svg.contains(">Share of images per category: REAL vs GEN</text>"))
        #expect(!svg.contains("Bilder"))
    }

    @Test func aGermanReportHasNoEnglishTextFromTheTable() throws {
        let directory = NSTemporaryDirectory() + "charttext-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var comparison = Self.comparison()
        comparison.datasets[0].add(ImageEntry(id: "r-missing", path: directory + "/missing.jpg", categories: ["category 0"]), keep: true)
        comparison = Comparison(datasets: comparison.datasets)
        let report = HTMLReport(comparison: comparison, chartOptions: ChartOptions(language: .de), examples: 3)
        let written = try report.write(to: directory) { _ in }
        var pages = [String(decoding: Files.read(written.indexPath) ?? [], as: UTF8.self)]
        pages.append(String(decoding: Files.read(directory + "/" + ReportPages.pageName("category 0")) ?? [], as: UTF8.self))
        let de = ChartText.german
        for text in [de.summaryHeading, de.chartsHeading, de.sortHint, de.method, de.reportTitle(["REAL", "GEN"]), de.examplesHeading,
                     "Normalisierter Vergleich der Kategorienverteilung", "Vergleich der Kategorienverteilung", de.emulatorStamp(5)] {
            #expect(pages[0].contains(HTMLText.escape(text)), "missing: \(text)")
        }
        #expect(pages[0].contains("<html lang=\"de\">"))
        #expect(pages[1].contains(HTMLText.escape(de.backToAll)) && pages[1].contains(de.imageMissing))
        for page in pages {
            let english = Self.englishTexts(comparison).filter { page.contains(HTMLText.escape($0)) }
            #expect(english.isEmpty, "English in the German report: \(english)")
        }
    }
}
