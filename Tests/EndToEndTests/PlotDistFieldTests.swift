// plotdist --field as a user runs it on records the test writes: several fields in one run (a
// table, a chart and a report section each), records without a field counted as missing, the
// category table unchanged, and bad paths refused.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct PlotDistFieldTests {
    static let real = """
        {"id":"r1","categories":["animals"],"cluster":0,"embedding_text":"brown dog on the beach, dog running","description":{"style":{"lighting":"natural"},"scene":{"environment":["outdoor","coast"]},"objects":[{"name":"dog","attributes":["brown"]},{"name":"ball"}]}}
        {"id":"r2","categories":["animals"],"cluster":0,"embedding_text":"cat on a sofa","description":{"style":{"lighting":"natural"},"scene":{"environment":["indoor"]},"objects":[{"name":"cat"}]}}
        {"id":"r3","categories":["street"],"cluster":1,"description":{"scene":{"environment":["urban","outdoor"]},"objects":[{"name":"car"},{"name":"car"}]}}
        {"id":"r4","categories":["street"],"cluster":-1,"embedding_text":"blurry street at night","description":{"style":{"lighting":"low light"},"scene":{"environment":[]},"objects":[]}}

        """
    static let gen = """
        {"id":"g1","categories":["street"],"cluster":1,"embedding_text":"neon street, neon signs, robot","description":{"style":{"lighting":"neon"},"scene":{"environment":["urban"]},"objects":[{"name":"robot"},{"name":"car"}]}}
        {"id":"g2","categories":["art"],"cluster":1,"embedding_text":"neon city at night","description":{"style":{"lighting":"neon"},"scene":{"environment":["urban","outdoor"]},"objects":[{"name":"car"}]}}
        {"id":"g3","categories":["animals"],"cluster":2,"embedding_text":"dog wearing sunglasses","description":{"style":{"lighting":"studio"},"scene":{"environment":["indoor"]},"objects":[{"name":"dog"}]}}

        """

    static func scratch() -> Scratch {
        let scratch = Scratch()
        scratch.write("real.ndjson", real)
        scratch.write("gen.ndjson", gen)
        return scratch
    }

    /// The table rows of one field, by value, and its summary.
    static func table(_ records: [Record], field: String) throws -> (rows: [String: Record], summary: JSONValue) {
        var rows: [String: Record] = [:]
        for record in records where record["field"]?.stringValue == field { rows[record["value"]?.stringValue ?? ""] = record }
        let summary = try #require(records.compactMap { $0["summary"] }.first { $0["field"]?.stringValue == field }, "summary of \(field)")
        return (rows, summary)
    }

    @Test func severalFieldsGiveATableAndAChartEachWithMissingRecordsCounted() throws {
        let scratch = Self.scratch()
        defer { scratch.remove() }
        let fields = ["cluster", "description.objects[].name", "description.scene.environment", "description.style.lighting", "keywords"]
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "-o", "chart.svg"] + fields.flatMap { ["--field", $0] },
                                         directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))

        let cluster = try Self.table(records, field: "cluster")
        #expect(cluster.rows.keys.sorted() == ["-1", "0", "1", "2"])
        #expect(cluster.rows["1"]?["datasets"]?["GEN"]?["count"]?.intValue == 2)
        #expect(cluster.rows["-1"]?["log2_lift"] == .null && cluster.rows["-1"]?["p_value"]?.doubleValue != nil)
        // Noise left out: totals 3 and 3 over k = 3 clusters; cluster 1: log2((2.5/4.5) / (1.5/4.5)).
        #expect(cluster.rows["1"]?["log2_lift"]?.doubleValue == 0.737)
        #expect(cluster.rows["1"]?["log2_lift_counts"]?.doubleValue == 0.585)  // log2(3/2)
        #expect(cluster.summary["lift_excludes"] == ["-1"])

        let objects = try Self.table(records, field: "description.objects[].name")
        #expect(objects.rows["car"]?["datasets"]?["REAL"]?["count"]?.intValue == 1)  // r3 holds two cars: one image
        #expect(objects.rows["car"]?["datasets"]?["GEN"]?["percent"]?.doubleValue.map { abs($0 - 200.0 / 3) < 1e-3 } == true)
        #expect(objects.summary["images"]?["REAL"]?.intValue == 4)  // r4's empty list is an image without objects

        let environment = try Self.table(records, field: "description.scene.environment")
        #expect(environment.rows["outdoor"]?["datasets"]?["REAL"]?["count"]?.intValue == 2)

        let lighting = try Self.table(records, field: "description.style.lighting")
        #expect(lighting.summary["missing"]?["REAL"]?.intValue == 1 && lighting.summary["images"]?["REAL"]?.intValue == 3)
        #expect(lighting.rows["natural"]?["datasets"]?["REAL"]?["percent"]?.doubleValue.map { abs($0 - 200.0 / 3) < 1e-3 } == true)

        let keywords = try Self.table(records, field: "keywords")
        #expect(keywords.summary["lift_unit"] == "occurrences")
        // r3 has no embedding_text: its description's compact text ("car, car; urban, outdoor") is counted.
        #expect(keywords.rows["car"]?["datasets"]?["REAL"]?["count"]?.intValue == 1)
        #expect(keywords.rows["neon"]?["datasets"]?["GEN"]?["count"]?.intValue == 2)
        #expect(keywords.rows["the"] == nil && keywords.rows["on"] == nil)

        #expect(result.stderr.contains("description.style.lighting: 4 values, missing REAL 1, GEN 0"), "\(result.stderr)")
        for field in ["cluster", "description.objects__.name", "description.scene.environment", "description.style.lighting", "keywords"] {
            let svg = scratch.read("chart-\(field).svg")
            #expect(svg.contains("<svg"), "\(field)")
        }
        #expect(scratch.read("chart-description.style.lighting.svg").contains(">Share of images per value of description.style.lighting: REAL vs GEN</text>"))
    }

    @Test func theCategoryTableIsUnchangedAndFieldsShareOneCSVHeader() throws {
        let scratch = Self.scratch()
        defer { scratch.remove() }
        let plain = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson"], directory: scratch.path)
        let named = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--field", "categories"], directory: scratch.path)
        #expect(plain.status == 0 && named.status == 0)
        #expect(plain.stdout == named.stdout)
        #expect(plain.stdoutLines.first?.hasPrefix("{\"category\":") == true && !plain.stdout.contains("log2_lift_counts"))

        let csv = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--format", "csv", "--field", "cluster",
                                                   "--field", "description.style.lighting"], directory: scratch.path)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdoutLines.first == "field,value,REAL_count,REAL_percent,REAL_ci_low,REAL_ci_high,GEN_count,GEN_percent,GEN_ci_low,GEN_ci_high,"
            + "diff_pp,log2_lift,log2_lift_counts,p_value,q_value")
        #expect(csv.stdoutLines.filter { $0.hasPrefix("field,") }.count == 1)
        #expect(csv.stdoutLines.count == 1 + 4 + 4)
    }

    @Test func reportGetsClusterKeywordAndAttributeSections() throws {
        let scratch = Self.scratch()
        defer { scratch.remove() }
        scratch.write("clusters.ndjson", #"{"cluster":1,"size":3,"sizes":{"REAL":1,"GEN":2},"keywords":[{"term":"neon<i>","score":0.4}],"examples":{"GEN":["g2"]}}"# + "\n")
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--html", "report", "--clusters", "clusters.ndjson",
                                                      "--field", "categories", "--field", "cluster", "--field", "keywords",
                                                      "--field", "description.style.lighting"], directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let index = scratch.read("report/index.html")
        for part in ["<section id=\"table\">", "<section id=\"clusters\">", "<section id=\"keywords\">", "<h2>Attribute: description.style.lighting</h2>",
                     "<span class=\"term\">neon&lt;i&gt;</span>"] {
            #expect(index.contains(part), "\(part)")
        }
        #expect(!index.contains("neon<i>"))
        let clusterPages = try FileManager.default.contentsOfDirectory(atPath: scratch.file("report/clusters"))
        #expect(clusterPages.count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.file("report/keywords")).contains { $0.hasPrefix("neon-") })
    }

    @Test func badPathsAndAFieldNoRecordHasEndTheRun() throws {
        let scratch = Self.scratch()
        defer { scratch.remove() }
        let bad = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "--field", "description..style"], directory: scratch.path)
        #expect(bad.status == 2 && bad.stderr.contains("--field description..style"), "\(bad.stderr)")
        let twice = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "--field", "cluster", "--field", "cluster"], directory: scratch.path)
        #expect(twice.status == 2 && twice.stderr.contains("--field cluster is given twice"))
        let noReport = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "--clusters", "real.ndjson"], directory: scratch.path)
        #expect(noReport.status == 2 && noReport.stderr.contains("give --html DIR too"))
        let absent = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "GEN=gen.ndjson", "--field", "description.camera.angle"], directory: scratch.path)
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("no usable image with description.camera.angle in any dataset (REAL 0 failed, 4 without description.camera.angle"),
                "\(absent.stderr)")
        #expect(absent.stdout.isEmpty)
    }
}
