// The report's parts: thumbnails (size, colour), escaping, page names, and a whole
// report written to a temporary directory.
import Foundation
import Imaging
import Records
import Testing
@testable import Charts

@Suite struct ReportTests {
    @Test func smallImagesAreNotEnlarged() throws {
        let jpeg = try JPEGCodec.encode(PixelBuffer(width: 100, height: 40, channels: 3, fill: 7))
        let header = try JPEGCodec.readHeader(try Thumbnail.jpeg(from: jpeg))
        #expect(header.width == 100 && header.height == 40)
    }

    @Test func thumbnailsKeepTheColourOfTheImage() throws {
        let png = try PNGCodec.encode(PixelBuffer(width: 600, height: 300, channels: 3, fill: 200))
        let thumbnail = try JPEGCodec.decodeRGB(try Thumbnail.jpeg(from: png))
        #expect(thumbnail.width == 256 && thumbnail.height == 128)
        #expect(thumbnail.pixels.allSatisfy { abs(Int($0) - 200) <= 2 })
    }

    @Test func thumbnailOfAPNGIsAJPEGWithALongSideOf256() throws {
        let png = try PNGCodec.encode(PixelBuffer(width: 1000, height: 500, channels: 3, fill: 128))
        let header = try JPEGCodec.readHeader(try Thumbnail.jpeg(from: png))
        #expect(header.width == 256 && header.height == 128)
        #expect(throws: ImagingError.self) { try Thumbnail.jpeg(from: Array("GIF89a".utf8)) }
    }

    @Test func escapingCoversTextAndAttributes() {
        #expect(HTMLText.escape(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLText.escape("plain ünïcode") == "plain ünïcode")
    }

    @Test func pageNamesAreSafeAndDistinct() {
        let names = ["a b", "a-b", "A/B", "../etc", "<script>", "café"].map(ReportPages.pageName)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.hasPrefix("categories/") && name.hasSuffix(".html"))
            let file = name.dropFirst("categories/".count)
            #expect(file.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }, "\(name)")
        }
    }

    @Test func reportWritesIndexCategoryPagesAndThumbnails() throws {
        var template = Array("/tmp/charts-report-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil)
        let directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = directory + "/photo.jpg"
        try Files.write(try JPEGCodec.encode(PixelBuffer(width: 640, height: 480, channels: 3, fill: 60)), to: image)
        var real = DatasetTally(name: "REAL"), gen = DatasetTally(name: "GEN")
        real.add(ImageEntry(id: "r1", path: image, categories: ["people", "street"]), keep: true)
        real.add(ImageEntry(id: "r2", path: directory + "/missing.jpg", categories: ["people"]), keep: true)
        gen.add(ImageEntry(id: "g1", path: nil, categories: ["art"]), keep: true)
        let report = HTMLReport(comparison: Comparison(datasets: [real, gen]), chartOptions: ChartOptions(), examples: 5)
        var messages: [String] = []
        let written = try report.write(to: directory + "/report") { messages.append($0) }
        #expect(written.categoryPages == 3 && written.thumbnails == 1 && written.unreadableImages == 1)
        #expect(messages == ["making thumbnails of 2 images"])
        let index = String(decoding: Files.read(written.indexPath) ?? [], as: UTF8.self)
        #expect(index.components(separatedBy: "<svg ").count == 3)  // percent and counts charts
        // The percent chart has the whiskers of make compare's percent.png, even without --ci.
        let charts = try report.charts()
        let percentChart = try #require(charts.first)
        let withWhiskers = BarChartLayout(measurer: try CairoTextMeasurer())
            .layout(BarChart(Comparison(datasets: [real, gen]), options: ChartOptions(kind: .percent, showIntervals: true)))
        #expect(percentChart == SVGWriter.element(withWhiskers))
        #expect(percentChart.contains("Whiskers: 95% Wilson confidence intervals."))
        #expect(!(charts.last ?? "").contains("Whiskers"))  // the counts chart has none
        for category in ["people", "street", "art"] {
            #expect(Files.exists(directory + "/report/" + ReportPages.pageName(category)))
            #expect(index.contains("href=\"\(ReportPages.pageName(category))\""))
        }
        #expect(index.components(separatedBy: "<img src=\"thumbs/").count == 3)  // r1 under people and street
    }
}
