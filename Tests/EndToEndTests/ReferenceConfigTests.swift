// The reference tool's config.yaml as it is: every key known (its analysis keys accepted and
// listed as not used), the keys we use honoured, and a truly unknown key warned about once
// per run of make, not by every tool.
import Foundation
import Imaging
import Records
import Testing
import TestUtilities

@Suite struct ReferenceConfigTests {
    static let example = PipelineSupport.root + "/Tests/Fixtures/reference/config.yaml.example"

    static func referenceConfig(plus extra: String = "") throws -> String {
        try String(contentsOfFile: example, encoding: .utf8) + extra
    }

    @Test func pipelineSettingsWarnsOnceListsWhatIsNotUsedYetAndSaysNoBucket() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("config.yaml", try Self.referenceConfig(plus: "typo_setting: 1\n"))
        let settings = try PipelineSupport.run("make", ["-f", PipelineSupport.root + "/Makefile", "--no-print-directory", "pipeline-settings"],
                                               in: scratch.path, environment: PipelineSupport.cleanEnvironment(home: scratch.path),
                                               log: scratch.file("settings.log"))
        #expect(settings.status == 0, "\(settings.output)")
        let warnings = settings.output.split(separator: "\n").filter { $0.contains("unknown setting") }
        #expect(warnings == ["config.yaml: unknown setting 'typo_setting' ignored (a typo?)"], "\(settings.output)")
        #expect(settings.output.contains("s3 (REAL)            no bucket (give BUCKET=... or s3.bucket in config.yaml)"), "\(settings.output)")
        #expect(!settings.output.contains("s3:///"))
        let notUsed = try #require(settings.output.split(separator: "\n").first { $0.hasPrefix("not used ") })
        for key in ["data.images_dir", "processing.batch_size_embeddings"] {
            #expect(notUsed.contains(key), "\(notUsed)")
        }
        // Used keys are not listed as unused: the caption pool is gemini-describe's concurrency,
        // embedding_model is embed's, clustering.* and tfidf.* are cluster's.
        #expect(!notUsed.contains("batch_size_captions") && !notUsed.contains("report.") && !notUsed.contains("embedding_model"))
        #expect(!notUsed.contains("clustering.") && !notUsed.contains("tfidf."))
        #expect(settings.output.contains("CONCURRENCY          8\n"), "processing.batch_size_captions: 8")
    }

    @Test func aToolWarnsAboutUnknownKeysUnlessMakeHasAlready() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("reference.yaml", try Self.referenceConfig())
        scratch.write("typo.yaml", try Self.referenceConfig(plus: "typo_setting: 1\n"))
        let reference = try ToolProcess.run("record-pass", ["--config", scratch.file("reference.yaml")], input: inputRecords(1))
        #expect(reference.status == 0 && !reference.stderr.contains("unknown setting"), "\(reference.stderr)")
        let alone = try ToolProcess.run("record-pass", ["--config", scratch.file("typo.yaml")], input: inputRecords(1))
        #expect(alone.stderr.contains("unknown setting 'typo_setting' ignored"), "\(alone.stderr)")
        let underMake = try ToolProcess.run("record-pass", ["--config", scratch.file("typo.yaml")], input: inputRecords(1),
                                            environment: ["IMAGEKIT_CONFIG_CHECKED": "1"])
        #expect(underMake.status == 0 && !underMake.stderr.contains("unknown setting"), "\(underMake.stderr)")
    }

    @Test func captionBatchSizeIsTheRequestsInFlight() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "300"])
        defer { withExtendedLifetime(emulator) {} }
        let images = try makeTestImages(in: scratch.path, count: 6)
        scratch.write("config.yaml", "processing:\n  batch_size_captions: 2\n")
        let environment = emulator.environment.merging(["GOOGLE_API_KEY": ""]) { $1 }
        let input = images.joined(separator: "\n") + "\n"
        let configured = try ToolProcess.run("gemini-describe", [], input: input, directory: scratch.path, environment: environment)
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect((try emulator.stats()["max_in_flight"] as? Int) == 2)
        try emulator.configure(#"{"reset_stats": true}"#)
        let flag = try ToolProcess.run("gemini-describe", ["--concurrency", "3"], input: input, directory: scratch.path, environment: environment)
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect((try emulator.stats()["max_in_flight"] as? Int) == 3, "the flag wins over config.yaml")
    }

    @Test func plotdistTakesTheReportKeys() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.file("img"), withIntermediateDirectories: true)
        var lines: [String] = []
        for i in 0..<3 {
            let photo = try JPEGCodec.encode(PixelBuffer(width: 400 + 10 * i, height: 300, channels: 3, fill: UInt8(60 + 40 * i)))
            try Data(photo).write(to: URL(fileURLWithPath: scratch.file("img/r\(i).jpg")))
            lines.append("{\"id\":\"r\(i)\",\"categories\":[\"street\"],\"image\":{\"path\":\"img/r\(i).jpg\"}}")
        }
        scratch.write("real.ndjson", lines.joined(separator: "\n") + "\n")
        scratch.write("config.yaml", try Self.referenceConfig().replacingOccurrences(of: "thumbnail_size: 256", with: "thumbnail_size: 96")
            .replacingOccurrences(of: "examples_per_cluster: 12", with: "examples_per_cluster: 2"))
        let result = try ToolProcess.run("plotdist", ["REAL=real.ndjson", "--html", "report"], directory: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: scratch.file("report/thumbs"))
        #expect(thumbnails.count == 3)
        for name in thumbnails {
            let header = try JPEGCodec.readHeader([UInt8](Data(contentsOf: URL(fileURLWithPath: scratch.file("report/thumbs/" + name)))))
            #expect(max(header.width, header.height) == 96)
        }
        #expect(scratch.read("report/index.html").components(separatedBy: "src=\"thumbs/").count - 1 == 2, "examples_per_cluster: 2")
    }
}
