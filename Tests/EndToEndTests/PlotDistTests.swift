// plotdist as a user runs it: NAME=FILE datasets or a dataset field on stdin, the table on
// stdout, charts by extension, the HTML report with thumbnails, and the exit statuses.
import Foundation
import Imaging
import Records
import Testing

@Suite struct PlotDistTests {
    /// REAL: 4 usable images and one failed record; GEN: 3 images.
    static let real = """
        {"id":"r1","categories":["people","street"]}
        {"id":"r2","categories":["people"]}
        {"id":"r3","categories":["food"]}
        {"id":"r4","categories":["people"]}
        {"id":"r5","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}

        """
    static let gen = """
        {"id":"g1","categories":["art"]}
        {"id":"g2","categories":["people","art"]}
        {"id":"g3","categories":["food"]}

        """

    @Test func tableRowsAndSummaryForTwoDatasets() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("real.ndjson", Self.real)
        scratch.write("gen.ndjson", Self.gen)
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson"], directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.count == 5)  // people, food, art, street, summary
        #expect(records.dropLast().compactMap { $0["category"]?.stringValue } == ["people", "food", "street", "art"])
        let people = records[0]
        #expect(people["datasets"]?["REAL"]?["count"]?.intValue == 3)
        #expect(people["datasets"]?["REAL"]?["percent"]?.doubleValue == 75)
        #expect(people["datasets"]?["GEN"]?["percent"]?.doubleValue.map { abs($0 - 100.0 / 3) < 1e-3 } == true)
        #expect(people["p_value"]?.doubleValue != nil && people["q_value"]?.doubleValue != nil)
        let summary = try #require(records.last?["summary"])
        #expect(summary["images"]?["REAL"]?.intValue == 4 && summary["failed"]?["REAL"]?.intValue == 1)
        #expect(summary["dof"]?.intValue == 3)
        #expect(result.stderr.contains("plotdist: REAL 4 images (1 failed), GEN 3 images (0 failed); 4 categories"))
    }

    @Test func datasetFieldOnStdinAndCSVOutput() throws {
        let input = """
            {"id":"1","dataset":"REAL","categories":["people"]}
            {"id":"2","dataset":"GEN","categories":["art"]}
            {"id":"3","dataset":"REAL","categories":["people","art"]}

            """
        let result = try ToolProcess.run("plotdist", ["--format", "csv"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.first?.hasPrefix("category,REAL_count,REAL_percent,") == true)
        #expect(result.stdoutLines.count == 3)
        #expect(result.stdoutLines[1].hasPrefix("people,2,100,"))
    }

    @Test func referenceCSVInputAndMarkdownOutput() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("real.csv", "image_name,description,categories\na.jpg,\"A dog, running\",\"animals, pets\"\nb.jpg,x,animals\n")
        let result = try ToolProcess.run("plotdist", ["REAL=real.csv", "--format", "markdown"], directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| animals | 2 · 100% [34.2–100.0] |"))
        #expect(result.stdout.contains("| pets | 1 · 50.0% "))
    }

    @Test(arguments: ["png", "svg", "pdf"])
    func chartFormatFollowsTheExtension(format: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("real.ndjson", Self.real)
        scratch.write("gen.ndjson", Self.gen)
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--ci", "-o", "chart.\(format)"],
                                         directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: scratch.file("chart.\(format)"))))
        switch format {
        case "png":
            let image = try PNGCodec.decodeRGB(bytes)
            #expect(image.width > 600 && image.height > 300)
            #expect(Set(image.pixels).count > 16)
        case "svg":
            let svg = String(decoding: bytes, as: UTF8.self)
            for text in [">people</text>", ">street</text>", ">75.0%</text>", ">33.3%</text>", ">REAL</text>", ">GEN</text>"] {
                #expect(svg.contains(text), "\(text)")
            }
        default:
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
        }
    }

    @Test func badLinesAreWarnedWithFileAndLineAndCountedAsFailed() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("real.ndjson", "{\"id\":\"a\",\"categories\":[\"x\"]}\nnot json\n{\"id\":\"b\"}\n")
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson"], directory: scratch.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("plotdist: warning: real.ndjson:2: not valid JSON"))
        #expect(result.stderr.contains("plotdist: warning: real.ndjson:3: record without a \"categories\" array"))
        let summary = try #require(parseRecords(result.stdoutLines)?.last?["summary"])
        #expect(summary["images"]?["REAL"]?.intValue == 1 && summary["failed"]?["REAL"]?.intValue == 2)
    }

    @Test func usageErrorsExitTwoAndUnreadableInputExitsOne() throws {
        #expect(try ToolProcess.run("plotdist", ["--chart", "pie", "A=a.ndjson"]).status == 2)
        #expect(try ToolProcess.run("plotdist", ["-o", "chart.gif", "A=a.ndjson"]).status == 2)
        #expect(try ToolProcess.run("plotdist", ["--top", "0", "A=a.ndjson"]).status == 2)
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("real.ndjson", Self.real)
        let rank = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "--rank-by", "GEN"], directory: scratch.path)
        #expect(rank.status == 2)
        #expect(rank.stderr.contains("--rank-by GEN: no such dataset"))
        let missing = try ToolProcess.run("plotdist", ["REAL=/nonexistent/real.ndjson"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("plotdist: error: cannot read /nonexistent/real.ndjson"))
        #expect(missing.stdout.isEmpty)
    }

    @Test func noUsableImageInAnyDatasetExitsOneWithoutAChart() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let failed = #"{"id":"a","error":{"stage":"s3ls","code":"not_found","message":"gone","retryable":false}}"#
        scratch.write("real.ndjson", failed + "\n")
        scratch.write("gen.ndjson", "")
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "-o", "chart.png", "--html", "report"], directory: scratch.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("plotdist: error: no usable image in any dataset (REAL 1 failed, GEN 0 failed); no chart written"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("chart.png")) && !FileManager.default.fileExists(atPath: scratch.file("report")))
        // One usable image in one dataset is enough for a chart.
        scratch.write("gen.ndjson", "{\"id\":\"g\",\"categories\":[\"art\"]}\n")
        let one = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "-o", "chart.png"], directory: scratch.path)
        #expect(one.status == 0 && FileManager.default.fileExists(atPath: scratch.file("chart.png")), "\(one.stderr)")
    }

    @Test func htmlReportIsSelfContainedWithThumbnailsAndCategoryPages() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.file("img"), withIntermediateDirectories: true)
        let photo = try JPEGCodec.encode(PixelBuffer(width: 600, height: 400, channels: 3, fill: 90))
        let drawing = try PNGCodec.encode(PixelBuffer(width: 300, height: 500, channels: 3, fill: 200))
        try Data(photo).write(to: URL(fileURLWithPath: scratch.file("img/r1.jpg")))
        try Data(drawing).write(to: URL(fileURLWithPath: scratch.file("img/g1.png")))
        try Data([0xFF, 0xD8, 0xFF, 0, 1, 2]).write(to: URL(fileURLWithPath: scratch.file("img/broken.jpg")))
        scratch.write("real.ndjson", """
            {"id":"r1","categories":["<b>people</b>","street"],"image":{"path":"img/r1.jpg"}}
            {"id":"r2","categories":["street"],"path":"img/broken.jpg"}

            """)
        scratch.write("gen.ndjson", "{\"id\":\"g1\",\"categories\":[\"<b>people</b>\"],\"image\":{\"path\":\"img/g1.png\"}}\n")
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--html", "report", "--examples", "1"],
                                         directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1 image could not be read for thumbnails"), "\(result.stderr)")
        let index = scratch.read("report/index.html")
        #expect(index.contains("<svg") && index.contains("<table class=\"sortable\">") && index.contains("<script>"))
        #expect(index.contains("&lt;b&gt;people&lt;/b&gt;") && !index.contains("<b>people</b>"))
        #expect(!index.contains("src=\"http") && !index.contains("href=\"http") && !index.contains("url("))
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: scratch.file("report/thumbs")).sorted()
        #expect(thumbnails.count == 2)
        for name in thumbnails {
            #expect(index.contains("src=\"thumbs/\(name)\""))
            let header = try JPEGCodec.readHeader([UInt8](Data(contentsOf: URL(fileURLWithPath: scratch.file("report/thumbs/" + name)))))
            #expect(max(header.width, header.height) == 256)
        }
        let pages = try FileManager.default.contentsOfDirectory(atPath: scratch.file("report/categories"))
        #expect(pages.count == 2)
        // The category pages list every image; the unreadable one is a placeholder.
        let street = try #require(pages.first { $0.hasPrefix("street-") })
        let streetPage = scratch.read("report/categories/" + street)
        #expect(streetPage.contains("<div class=\"placeholder\">no image</div>") && streetPage.contains("src=\"../thumbs/"))
        for page in pages {
            #expect(index.contains("href=\"categories/\(page)\""))
            #expect(scratch.read("report/categories/" + page).contains("<a href=\"../index.html\">"))
        }
    }
}
