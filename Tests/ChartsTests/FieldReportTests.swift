// The report's `--field` sections: clusters with the highest lift (order, highlight, keywords and
// examples from the cluster summary), keywords with the highest lift, attribute tables, a page per
// cluster and per keyword, and every name from the data escaped.
import Foundation
import Imaging
import Records
import Testing
@testable import Charts

@Suite struct FieldReportTests {
    static let hostile = "<script>alert(1)</script>"

    /// REAL: 20 in cluster 0, 5 in cluster 1, 2 noise; GEN: 2 in cluster 0, 20 in cluster 1, 3 in cluster 2.
    /// Cluster 2 has the highest lift (+2.81) but q ≥ 0.05; cluster 1 (+1.90, q < 0.001) is highlighted.
    static func records(directory: String) throws -> (real: String, gen: String) {
        let image = directory + "/photo.jpg"
        try Files.write(try JPEGCodec.encode(PixelBuffer(width: 64, height: 48, channels: 3, fill: 90)), to: image)
        func record(_ id: String, _ cluster: Int, _ text: String, lighting: String?) -> String {
            var record: Record = ["id": .string(id), "path": .string(image), "cluster": .int(cluster), "embedding_text": .string(text)]
            if let lighting { record["description"] = ["style": ["lighting": .string(lighting)]] }
            return JSONValue.object(record).description + "\n"
        }
        var real = "", gen = ""
        for i in 0..<20 { real += record("r\(i)", 0, "dog beach", lighting: "natural") }
        for i in 20..<25 { real += record("r\(i)", 1, "neon street", lighting: nil) }
        for i in 25..<27 { real += record("r\(i)", -1, "blur", lighting: "natural") }
        for i in 0..<2 { gen += record("g\(i)", 0, "dog beach", lighting: Self.hostile) }
        for i in 2..<22 { gen += record(i == 7 ? "g<\(i)>" : "g\(i)", 1, "neon neon street robot", lighting: Self.hostile) }
        for i in 22..<25 { gen += record("g\(i)", 2, "castle dragon", lighting: "studio") }
        let realFile = directory + "/real.ndjson", genFile = directory + "/gen.ndjson"
        try Files.write(real, to: realFile)
        try Files.write(gen, to: genFile)
        return (realFile, genFile)
    }

    @Test func reportHasClusterKeywordAndAttributeSectionsAndPagesWithEveryNameEscaped() throws {
        let directory = NSTemporaryDirectory() + "field-report-\(UInt32.random(in: 0...UInt32.max))"
        try Files.makeDirectories(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (real, gen) = try Self.records(directory: directory)
        try Files.write("""
            {"cluster":1,"size":25,"sizes":{"REAL":5,"GEN":20},"keywords":[{"term":"neon","score":0.61},{"term":"\(Self.hostile.replacingOccurrences(of: "/", with: "\\/"))","score":0.2}],"examples":{"GEN":["g<7>","g3"],"REAL":["r21"]}}
            {"cluster":-1,"size":2,"sizes":{"REAL":2},"keywords":[],"examples":{}}

            """, to: directory + "/clusters.ndjson")
        let table = TemporaryFile("", suffix: ".out")
        defer { table.remove() }
        let writer = NDJSONWriter(fileDescriptor: open(table.path, O_WRONLY | O_TRUNC), name: table.path, ownsDescriptor: true)
        var plot = PlotRun(datasets: [PlotRun.Dataset(name: "REAL", path: real), PlotRun.Dataset(name: "GEN", path: gen)],
                           chartOptions: ChartOptions(), format: .ndjson,
                           report: PlotRun.ReportSettings(directory: directory + "/report", examples: 2, thumbnailSize: 32,
                                                          clustersPath: directory + "/clusters.ndjson"),
                           table: writer)
        plot.fields = try ["cluster", "keywords", "description.style.lighting"].map(ComparedField.init(parsing:))
        let outcome = try plot.run()
        #expect(outcome.comparisons.map(\.field) == ["cluster", "keywords", "description.style.lighting"])
        #expect(outcome.comparisons[2].summary.missing == [5, 0])

        let report = directory + "/report/"
        let index = String(decoding: try #require(Files.read(report + "index.html")), as: UTF8.self)
        // No category table was asked for: the page holds the fields' sections only, in order.
        let sections = ["<section id=\"clusters\">", "<section id=\"keywords\">", "<section class=\"attribute\" id=\"field-description-style-lighting-"]
        let positions = try sections.map { try #require(index.range(of: $0)?.lowerBound, "\($0)") }
        #expect(positions == positions.sorted())
        #expect(!index.contains("<section id=\"examples\">"))

        // Clusters by lift: 2 (+2.81, not significant), then 1 (+1.90, q < 0.05: highlighted); 0 and noise not among them.
        let articles = index.components(separatedBy: "<article class=\"").dropFirst().map { String($0.prefix(while: { $0 != ">" })) }
        #expect(articles == ["cluster\"", "cluster highlight\""])
        let clusterTwo = try #require(index.range(of: ">Cluster 2</a>")), clusterOne = try #require(index.range(of: ">Cluster 1</a>"))
        #expect(clusterTwo.lowerBound < clusterOne.lowerBound)
        #expect(!index.contains(">Cluster 0</a><span"))
        // Keywords of the summary, escaped; its example ids chosen, escaped, two per dataset at most.
        #expect(index.contains("<span class=\"term\">neon</span>, <span class=\"term\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"))
        #expect(index.contains("<figcaption>g&lt;7&gt;</figcaption>") && index.contains("<figcaption>r21</figcaption>"))
        #expect(!index.contains("<figcaption>g4</figcaption>"))

        // Keywords with the highest lift link to their pages; the attribute table holds the hostile value escaped.
        for term in ["robot", "castle", "dragon", "neon"] {
            let page = ReportPages.pageName(term, folder: "keywords")
            #expect(index.contains("href=\"\(page)\""), "\(term)")
            #expect(Files.exists(report + page), "\(term)")
        }
        #expect(!index.contains("href=\"\(ReportPages.pageName("dog", folder: "keywords"))\""))  // lift below 0
        #expect(index.contains("data-v=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))

        // A page per cluster (noise included) with all its images.
        for cluster in ["0", "1", "2", "-1"] { #expect(Files.exists(report + ReportPages.pageName(cluster, folder: "clusters")), "\(cluster)") }
        let clusterPage = String(decoding: try #require(Files.read(report + ReportPages.pageName("1", folder: "clusters"))), as: UTF8.self)
        #expect(clusterPage.components(separatedBy: "<figure").count - 1 == 25)
        #expect(clusterPage.contains("<h1>Cluster 1</h1>") && clusterPage.contains("src=\"../thumbs/"))
        let keywordPage = String(decoding: try #require(Files.read(report + ReportPages.pageName("robot", folder: "keywords"))), as: UTF8.self)
        #expect(keywordPage.components(separatedBy: "<figure").count - 1 == 20)

        for page in try FileManager.default.subpathsOfDirectory(atPath: report) where page.hasSuffix(".html") {
            let html = String(decoding: try #require(Files.read(report + page)), as: UTF8.self)
            #expect(!html.contains("<script>alert"), "\(page)")
        }
    }

    @Test func clusterSummaryLinesThatAreNotClustersNameTheirLine() throws {
        let file = TemporaryFile("{\"cluster\":1,\"keywords\":[\"dog\"]}\n{\"size\":3}\n")
        defer { file.remove() }
        let error = #expect(throws: InputError.self) { try ClusterSummary.read(path: file.path) }
        #expect(error?.description == "\(file.path):2: no integer \"cluster\" (expected the cluster tool's --clusters summary)")
        let good = TemporaryFile("{\"cluster\":1,\"keywords\":[\"dog\",{\"term\":\"cat\",\"score\":0.5}]}\n")
        defer { good.remove() }
        #expect(try ClusterSummary.read(path: good.path) == [ClusterSummary(cluster: "1", keywords: [.init(term: "dog", score: nil), .init(term: "cat", score: 0.5)])])
    }
}
