// A user of the reference tool (batch_downloader_and_analyzer) switching: its own example files
// (Tests/Fixtures/reference) in a fresh folder, `make batches` at a pseudo-terminal against
// SeaweedFS and the Gemini emulator, batches chosen and skipped as the reference asks.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct ReferenceSwitchTests {
    static let fixtures = PipelineSupport.root + "/Tests/Fixtures/reference"

    /// A fresh folder holding the reference's files as its user has them — config.yaml (its
    /// example, every key), to_download/GEN_example.csv and REAL_example.csv, plus gen_lower.csv
    /// (a lower-case name) and DALLE3_batch.csv (a type of its own) — and a bucket in which the
    /// first four names of each list (and the DALLE3 ones) are stored under
    /// datalake_training/TYPE/, as the reference looks them up.
    struct ReferenceFolder {
        let scratch = Scratch()
        let bucket = "ref-" + UUID().uuidString.prefix(8).lowercased()
        let servers: PipelineServers
        var path: String { scratch.path }
        static let dalle3Names = ["dalle3_sunset_0001.jpg", "dalle3_city_0002.jpg"]

        init() throws {
            servers = try PipelineServers()
            let manager = FileManager.default
            try manager.createDirectory(atPath: scratch.file("to_download"), withIntermediateDirectories: true)
            // The reference's config as it is, plus one key nobody knows (a typo).
            scratch.write("config.yaml", try String(contentsOfFile: fixtures + "/config.yaml.example", encoding: .utf8) + "typo_setting: 1\n")
            try manager.copyItem(atPath: fixtures + "/categories.csv", toPath: scratch.file("categories.csv"))
            for list in ["GEN_example", "REAL_example"] {
                try manager.copyItem(atPath: fixtures + "/to_download/\(list).csv", toPath: scratch.file("to_download/\(list).csv"))
            }
            let genNames = Array(Self.names(scratch.file("to_download/GEN_example.csv")).prefix(4))
            let realNames = Array(Self.names(scratch.file("to_download/REAL_example.csv")).prefix(4))
            scratch.write("to_download/gen_lower.csv", genNames.prefix(2).joined(separator: "\n") + "\n")
            scratch.write("to_download/DALLE3_batch.csv", "image_name\n" + Self.dalle3Names.joined(separator: "\n") + "\n")

            let sample = scratch.file("sample")
            let made = try PipelineSupport.run(PipelineSupport.python,
                                               [PipelineSupport.root + "/scripts/demo_sample.py", "--synthetic", "5", "--max-side", "240", sample],
                                               in: path, environment: ProcessInfo.processInfo.environment, log: scratch.file("sample.log"))
            guard made.status == 0 else { throw PipelineTestError("demo_sample.py failed: \(made.output)") }
            let photos = PipelineSupport.files(under: sample + "/REAL").filter { $0.hasSuffix(".jpg") }.map { sample + "/REAL/" + $0 }
            guard photos.count >= 4 else { throw PipelineTestError("demo_sample.py made \(photos.count) photographs") }
            for (type, names) in [("GEN", genNames), ("REAL", realNames), ("DALLE3", Self.dalle3Names)] {
                let staging = scratch.file("upload/\(type)")
                try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
                for (index, name) in names.enumerated() {
                    try manager.copyItem(atPath: photos[index % photos.count], toPath: staging + "/" + name)
                }
                try servers.upload(names.map { staging + "/" + $0 }, bucket: bucket, prefix: "datalake_training/\(type)/",
                                   log: scratch.file("upload.log"))
            }
        }

        /// The image names of a reference list (its header left out).
        static func names(_ path: String) -> [String] {
            PipelineSupport.lines(path).filter { $0.contains(".") }
        }

        func close() {
            servers.stop()
            scratch.remove()
        }

        var environment: [String: String] {
            PipelineSupport.cleanEnvironment(home: path, extra: servers.environment.merging(["TERM": "xterm"]) { $1 })
        }

        /// The make command line every run here shares: the bucket on the command line (the
        /// reference's config has none), small images and requests so the run is short.
        func makeCommand(_ arguments: [String]) -> [String] {
            ["make", "-f", PipelineSupport.root + "/Makefile", "--no-print-directory"] + arguments
                + ["BUCKET=\(bucket)", "CATEGORIES=categories.csv", "MAX_SIZE=160", "PER_REQUEST=5", "TOOL_FLAGS=-q"]
        }

        /// make with no controlling terminal at all (`setsid -w`: a session of its own), as
        /// from cron or CI — whatever terminal the test runner has.
        func makeWithoutTerminal(_ arguments: [String], log: String) throws -> PipelineSupport.Outcome {
            try PipelineSupport.run("setsid", ["-w"] + makeCommand(arguments), in: path, environment: environment, log: log)
        }

        /// The lines of every log file in `folder` whose name starts with `prefix`, oldest first.
        func logLines(under folder: String, prefix: String) -> [String] {
            PipelineSupport.files(under: scratch.file(folder)).filter { $0.hasPrefix(prefix) }
                .flatMap { PipelineSupport.lines(scratch.file(folder + "/" + $0)) }
        }

        func records(_ file: String) throws -> [Record] {
            try #require(parseRecords(scratch.lines(file)), "\(file) holds a line that is not a JSON object")
        }
    }

    @Test(.timeLimit(.minutes(8)))
    func referenceBatchesAreChosenConfirmedAndSkippedAtATerminal() throws {
        let folder = try ReferenceFolder()
        defer { folder.close() }
        let scratch = folder.scratch

        // The batches typed as the reference types them.
        let listing = try folder.makeWithoutTerminal(["list-batches"], log: scratch.file("list.log"))
        #expect(listing.status == 0, "\(listing.output)")
        let rows = listing.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let row = { (name: String) in rows.first { $0.first == name } ?? [] }
        #expect(row("DALLE3_batch").starts(with: ["DALLE3_batch", "DALLE3", "2", "s3://\(folder.bucket)/datalake_training/DALLE3/"]))
        #expect(row("GEN_example").starts(with: ["GEN_example", "GEN", "10", "s3://\(folder.bucket)/datalake_training/GEN/"]))
        #expect(row("REAL_example").starts(with: ["REAL_example", "REAL", "10", "s3://\(folder.bucket)/datalake_training/REAL/"]))
        #expect(row("gen_lower").starts(with: ["gen_lower", "GEN", "2", "s3://\(folder.bucket)/datalake_training/GEN/"]))

        // At a terminal, stdout piped into tee: a wrong choice asked again, then a list and a
        // range; DALLE3_batch answered n (skipped), the others y.
        let command = folder.makeCommand(["batches"]).map { "'\($0)'" }.joined(separator: " ") + " | tee make-stdout.log"
        let session = try PseudoTerminal.run(["sh", "-c", command], answers: [
            .init(after: "Your selection: ", type: "9\n"),
            .init(after: "Your selection: ", type: "1-2,3,4\n"),
            .init(after: "download of DALLE3_batch? (y/n): ", type: "n\n"),
            .init(after: "download of GEN_example? (y/n): ", type: "y\n"),
            .init(after: "download of REAL_example? (y/n): ", type: "yes\n"),
            .init(after: "download of gen_lower? (y/n): ", type: "y\n"),
        ], in: folder.path, environment: folder.environment, transcript: scratch.file("terminal.log"))
        #expect(session.status == 0, "\(session.transcript)")
        #expect(session.transcript.contains("1. DALLE3_batch.csv → DALLE3 → s3://\(folder.bucket)/datalake_training/DALLE3/"), "\(session.transcript)")
        #expect(session.transcript.contains("Please answer with numbers from 1 to 4"))
        #expect(session.transcript.contains("DALLE3_batch: 2 listed, 2 found, 0 missing"))
        #expect(session.transcript.contains("GEN_example: 10 listed, 4 found, 6 missing"))
        #expect(session.transcript.contains("DALLE3_batch: skipped (answered n)"))
        // No warning for the reference's keys; the typo warned about once in the whole run.
        let warnings = session.transcript.split(separator: "\n").filter { $0.contains("unknown setting") }
        #expect(warnings.count == 1 && warnings.first?.contains("'typo_setting'") == true, "\(warnings)")

        // Each batch listed under its type's prefix; the skipped one neither fetched nor given a folder.
        for (batch, type, found) in [("DALLE3_batch", "DALLE3", 2), ("GEN_example", "GEN", 4), ("REAL_example", "REAL", 4), ("gen_lower", "GEN", 2)] {
            let listed = try folder.records("work/\(batch)/listed.ndjson").filter { $0["error"] == nil }
            #expect(listed.count == found, "\(batch)")
            #expect(listed.allSatisfy { $0["key"]?.stringValue?.hasPrefix("datalake_training/\(type)/") == true }, "\(batch): \(listed)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("work/DALLE3_batch/fetched.ndjson")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("downloads/DALLE3_batch_downloads")))
        for batch in ["GEN_example", "REAL_example", "gen_lower"] {
            let categorized = try folder.records("work/\(batch)/categorized.ndjson")
            let ok = categorized.filter { $0["error"] == nil }
            #expect(ok.count == (batch == "gen_lower" ? 2 : 4), "\(batch)")
            #expect(ok.allSatisfy { ($0["categories"]?.arrayValue?.count ?? 0) >= 1 }, "\(batch)")
        }
        #expect(scratch.read("make-stdout.log").contains("categorized"), "stdout went through tee")

        // Each answer says where it came from: the emulator, its endpoint, the model.
        let answered = try folder.records("work/GEN_example/categorized.ndjson").filter { $0["error"] == nil }
        #expect(answered.count == 4 && answered.allSatisfy {
            $0["emulated"]?.boolValue == true && $0["endpoint"]?.stringValue == folder.servers.geminiBaseURL
                && $0["model"]?.stringValue == "gemini-2.5-flash-lite" && $0["category_endpoint"]?.stringValue == folder.servers.geminiBaseURL
                && $0["category_model"] != nil
        }, "\(answered)")

        // The download log, as the reference's: a line per object (downloaded, or not found and
        // why) and the summary; every other stage logs its summary and errors in work/NAME/logs/.
        let genLog = folder.logLines(under: "downloads/GEN_example_downloads/logs", prefix: "s3fetch-")
        let genNames = ReferenceFolder.names(scratch.file("to_download/GEN_example.csv"))
        for name in genNames.prefix(4) {
            #expect(genLog.contains { $0.contains("downloaded s3://\(folder.bucket)/datalake_training/GEN/\(name) -> ") }, "\(name): \(genLog)")
        }
        for name in genNames.dropFirst(4) {
            #expect(genLog.contains { $0.contains("passed on ") && $0.contains(": not_found: no object named \(name) ") }, "\(name): \(genLog)")
        }
        #expect(genLog.contains { $0.contains("s3fetch: 4 ok, 0 failed, 6 upstream errors passed on") }, "\(genLog)")
        for (stage, tool) in [("listed", "s3ls"), ("resized", "img-resize"), ("described", "gemini-describe"), ("categorized", "categorize")] {
            let log = folder.logLines(under: "work/GEN_example/logs", prefix: stage + ".log")
            #expect(log.contains { $0.contains("\(tool): 4 ok, ") || $0.contains("\(tool): 10 ok, ") }, "\(stage): \(log)")
            for name in genNames.dropFirst(4) {
                #expect(log.contains { ($0.contains("failed ") || $0.contains("passed on ")) && $0.contains(name) && $0.contains("not_found") },
                        "\(stage): \(name): \(log)")
            }
        }

        // The reference's two CSVs beside the records, with no model to call (no key, nothing
        // listening at the endpoint), read back by Python's csv module; errors only in failed.csv.
        let csv = try PipelineSupport.run("make", Array(folder.makeCommand(["csv", "DATASET=GEN_example"]).dropFirst()), in: folder.path,
                                          environment: folder.environment.merging(ReferenceCSVTests.noModel) { $1 }, log: scratch.file("csv.log"))
        #expect(csv.status == 0, "\(csv.output)")
        let described = try ReferenceCSVTests.pythonRows(scratch.file("work/GEN_example/descriptions.csv"))
        let categorizedRows = try ReferenceCSVTests.pythonRows(scratch.file("work/GEN_example/descriptions_categorized.csv"))
        let failedRows = try ReferenceCSVTests.pythonRows(scratch.file("work/GEN_example/failed.csv"))
        #expect(described.first == ["image_name", "description"] && Set(described.dropFirst().map { $0[0] }) == Set(genNames.prefix(4)), "\(described)")
        #expect(described.dropFirst().allSatisfy { (try? JSONParser.parse($0[1]).objectValue) != nil }, "descriptions are JSON text")
        #expect(categorizedRows.first == ["image_name", "description", "categories"] && categorizedRows.count == 5, "\(categorizedRows)")
        #expect(categorizedRows.dropFirst().allSatisfy { row in
            let parts = row[2].components(separatedBy: ", ")
            return !row[2].isEmpty && parts == parts.sorted() && parts == parts.map { $0.lowercased() } && Set(parts).count == parts.count
        }, "\(categorizedRows)")
        #expect(Set(failedRows.dropFirst().map { $0[0] }) == Set(genNames.dropFirst(4)) && failedRows.dropFirst().allSatisfy { $0[2] == "not_found" },
                "\(failedRows)")

        // The comparison made from emulated answers says so on every chart, the table and the report.
        let compare = try folder.makeWithoutTerminal(["compare", "A=REAL_example", "B=GEN_example"], log: scratch.file("compare.log"))
        #expect(compare.status == 0, "\(compare.output)")
        let report = scratch.file("reports/REAL_example_vs_GEN_example")
        let stamp = "EMULATOR — not model output (8 images described or categorized by the Gemini emulator)"
        #expect(scratch.read("reports/REAL_example_vs_GEN_example/statistics.md").hasPrefix("**\(stamp)**"))
        let index = scratch.read("reports/REAL_example_vs_GEN_example/html/index.html")
        #expect(index.contains("<p class=\"stamp\"><strong>\(stamp)</strong></p>"))
        // The report's charts are the PNGs' scenes drawn as SVG: the stamp is their first subtitle.
        #expect(index.components(separatedBy: "<title>").dropFirst().filter { $0.contains(stamp) }.count >= 2, "both charts stamped")
        #expect(try PipelineSupport.undecodable(["single-REAL_example.png", "counts.png", "percent.png"].map { report + "/" + $0 }).isEmpty)

        // No terminal and no AUTO_CONFIRM: the chosen batch (BATCHES=, no question) is not
        // downloaded, and one line says what to set.
        let unattended = try folder.makeWithoutTerminal(["downloads", "BATCHES=DALLE3_batch"], log: scratch.file("unattended.log"))
        #expect(unattended.status != 0)
        let stops = unattended.output.split(separator: "\n").filter { $0.contains("no terminal to ask") }
        #expect(stops.count == 1 && stops.first?.contains("set AUTO_CONFIRM=1") == true, "\(unattended.output)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("downloads/DALLE3_batch_downloads")))
        let confirmed = try folder.makeWithoutTerminal(["downloads", "BATCHES=DALLE3_batch", "AUTO_CONFIRM=1"], log: scratch.file("confirmed.log"))
        #expect(confirmed.status == 0, "\(confirmed.output)")
        let files = PipelineSupport.files(under: scratch.file("downloads/DALLE3_batch_downloads")).filter { !$0.hasPrefix("logs/") }
        #expect(files == ReferenceFolder.dalle3Names.sorted(), "\(files)")
        // Downloaded again from its listing: both files are found in place, a line each.
        try FileManager.default.removeItem(atPath: scratch.file("work/DALLE3_batch/fetched.ndjson"))
        let again = try folder.makeWithoutTerminal(["downloads", "BATCHES=DALLE3_batch", "AUTO_CONFIRM=1"], log: scratch.file("again.log"))
        #expect(again.status == 0, "\(again.output)")
        let dalleLog = folder.logLines(under: "downloads/DALLE3_batch_downloads/logs", prefix: "s3fetch-")
        for name in ReferenceFolder.dalle3Names {
            #expect(dalleLog.filter { $0.contains("datalake_training/DALLE3/\(name) -> ") }.map { $0.contains("cached") } == [false, true], "\(dalleLog)")
        }
        let unknown = try folder.makeWithoutTerminal(["downloads", "BATCHES=GEN_example,nope"], log: scratch.file("unknown.log"))
        #expect(unknown.status != 0 && unknown.output.contains("BATCHES names 'nope'"), "\(unknown.output)")
    }

    @Test(.timeLimit(.minutes(10)))
    func s3fetchQuestionIsNotDrawnOverByTheProgressBar() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("listed.ndjson", """
            {"id":"a.jpg","name":"a.jpg","bucket":"b","key":"p/a.jpg","size":1000}
            {"id":"b.jpg","name":"b.jpg","bucket":"b","key":"p/b.jpg","size":2000}

            """)
        // Nothing is fetched before the answer: the endpoint is never contacted.
        let environment = PipelineSupport.cleanEnvironment(home: scratch.path, extra: [
            "TERM": "xterm", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        ])
        let question = "Continue? [y/N] "
        let session = try PseudoTerminal.run([ToolProcess.path("s3fetch"), "--dir", "downloads", "listed.ndjson"],
                                             answers: [.init(after: question, type: "n\n", pause: 1.5)],
                                             in: scratch.path, environment: environment, transcript: scratch.file("terminal.log"))
        #expect(session.status == 1, "\(session.transcript)")
        #expect(session.transcript.contains("s3fetch: 2 objects"), "\(session.transcript)")
        // For 1.5 s (six progress ticks) nothing was written after the question: the next thing
        // on the terminal is the typed answer's echo.
        let after = try #require(session.transcript.range(of: question)).upperBound
        #expect(session.transcript[after...].hasPrefix("n"), "drawn over the question: \(session.transcript[after...].debugDescription)")
        #expect(session.transcript.contains("cancelled; nothing downloaded"))
        #expect(PipelineSupport.files(under: scratch.file("downloads")).allSatisfy { $0.hasPrefix("logs/") })
    }
}
