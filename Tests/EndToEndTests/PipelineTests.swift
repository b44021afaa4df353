// The whole chain as users run it: the Makefile's stages against a real S3 server (SeaweedFS)
// and the Gemini emulator — killed with SIGKILL at fixed-seed moments in every stage and rerun
// until done; drop-in batches; and `make demo` from a clean directory with nothing configured.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct PipelineTests {
    static let stages = ["listed", "fetched", "resized", "described", "categorized"]
    static let tools = ["s3ls", "s3fetch", "img-resize", "gemini-describe", "categorize"]

    /// A scratch folder with a synthetic sample (REAL and GEN lists and images), uploaded to a
    /// bucket of its own as data/REAL/ and data/GEN/.
    struct Workspace {
        let scratch = Scratch()
        let bucket = "pipe-" + UUID().uuidString.prefix(8).lowercased()
        let servers: PipelineServers
        var path: String { scratch.path }

        init(imagesPerDataset: Int) throws {
            servers = try PipelineServers()
            let sample = scratch.file("sample")
            let made = try PipelineSupport.run(PipelineSupport.python,
                                               [PipelineSupport.root + "/scripts/demo_sample.py", "--synthetic", "\(imagesPerDataset)", "--max-side", "360", sample],
                                               in: path, environment: ProcessInfo.processInfo.environment, log: scratch.file("sample.log"))
            guard made.status == 0 else { throw PipelineTestError("demo_sample.py failed: \(made.output)") }
            for dataset in ["REAL", "GEN"] {
                let files = PipelineSupport.files(under: sample + "/" + dataset).map { sample + "/" + dataset + "/" + $0 }
                try servers.upload(files, bucket: bucket, prefix: "data/\(dataset)/", log: scratch.file("upload.log"))
            }
        }

        func close() {
            servers.stop()
            scratch.remove()
        }

        /// `make -f ROOT/Makefile ARGS...` in the workspace, with the servers' environment.
        func make(_ arguments: [String], log: String) throws -> Process {
            let environment = PipelineSupport.cleanEnvironment(home: path, extra: servers.environment)
            return try PipelineSupport.start("make", ["-f", PipelineSupport.root + "/Makefile", "--no-print-directory"] + arguments,
                                             in: path, environment: environment, log: log)
        }

        func makeToEnd(_ arguments: [String], log: String) throws -> PipelineSupport.Outcome {
            let process = try make(arguments, log: log)
            process.waitUntilExit()
            return .init(status: process.terminationStatus, output: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }

        /// The pipeline of REAL into `folder`, slowed down (one transfer, one resize worker, small
        /// batches) so every stage runs long enough to be killed in the middle.
        func pipelineArguments(into folder: String) -> [String] {
            ["pipeline", "DATASET=REAL", "LIST=sample/REAL.csv", "BUCKET=\(bucket)", "PREFIX=data/REAL/",
             "WORK=\(folder)/work", "DOWNLOADS=\(folder)/downloads", "FETCH_CONCURRENCY=1", "JOBS=1", "MAX_SIZE=160",
             "CONCURRENCY=2", "CATEGORY_CONCURRENCY=1", "PER_REQUEST=3", "AUTO_CONFIRM=1", "TOOL_FLAGS=-q"]
        }

        func records(_ file: String) throws -> [Record] {
            try #require(parseRecords(scratch.lines(file)), "\(file) holds a line that is not a JSON object")
        }
    }

    /// One planned kill: the stage's tool is killed once its checkpoint holds `afterLines` lines
    /// and it has run for `afterMilliseconds` since it was first seen.
    struct Moment: CustomStringConvertible {
        var stage: Int
        var afterLines: Int
        var afterMilliseconds = 0
        var description: String { "\(PipelineTests.stages[stage]) after \(afterLines) lines, \(afterMilliseconds) ms" }
    }

    /// 14 distinct moments over the five stages from a fixed seed, in pipeline order.
    static func crashPlan(records: Int) -> [Moment] {
        var random = SplitMix64(seed: 0x5EED_0008)
        var plan: [Moment] = []
        for (stage, count) in [2, 3, 3, 3, 3].enumerated() {
            if stage == 0 {
                // s3ls writes its records after listing, all at once: it dies while starting or listing.
                plan += [0, Int.random(in: 2..<10, using: &random)].map { Moment(stage: 0, afterLines: 0, afterMilliseconds: $0) }
            } else {
                let thresholds = Array(0..<records).shuffled(using: &random).prefix(count).sorted()
                plan += thresholds.map { Moment(stage: stage, afterLines: $0) }
            }
        }
        return plan
    }

    /// Watches a crash run whose tools stop themselves at birth. A tool of a stage after the
    /// planned one is killed as it is born (the planned stage ended on its own); the planned
    /// stage's tool runs in 2 ms slices, stopped between them, until its checkpoint holds enough
    /// lines and enough time has passed, then dies by SIGKILL. Returns the moment that happened.
    static func kill(at moment: Moment, under make: Process, checkpoint: String) -> Moment? {
        let deadline = Date().addingTimeInterval(180)
        while make.isRunning, Date() < deadline {
            guard let born = PipelineSupport.descendants(of: make.processIdentifier).first(where: {
                tools.contains($0.name) && PipelineSupport.processState($0.pid) == "T"
            }), let stage = tools.firstIndex(of: born.name) else {
                usleep(500)
                continue
            }
            if stage < moment.stage {
                Foundation.kill(born.pid, SIGCONT)
                continue
            }
            if stage > moment.stage {
                Foundation.kill(born.pid, SIGKILL)
                return Moment(stage: stage, afterLines: 0)
            }
            let start = Date()
            while PipelineSupport.lineCount(checkpoint) < moment.afterLines
                    || Date().timeIntervalSince(start) * 1000 < Double(moment.afterMilliseconds) {
                Foundation.kill(born.pid, SIGCONT)
                usleep(2000)
                Foundation.kill(born.pid, SIGSTOP)
                var state = PipelineSupport.processState(born.pid)
                _ = waitUntil(timeout: 10) {
                    state = PipelineSupport.processState(born.pid)
                    return state == nil || state == "T" || state == "t" || state == "Z"
                }
                if state != "T", state != "t" { break }  // it ended inside the slice: look for the next stage
            }
            if PipelineSupport.processState(born.pid) == "T" {
                Foundation.kill(born.pid, SIGKILL)
                return moment
            }
        }
        return nil
    }

    @Test(.timeLimit(.minutes(10)))
    func pipelineKilledWithSIGKILLInEveryStageEndsLikeAnUninterruptedRun() throws {
        let images = 40, records = images + 1  // one listed name is not in the bucket
        let workspace = try Workspace(imagesPerDataset: images)
        defer { workspace.close() }

        let reference = try workspace.makeToEnd(workspace.pipelineArguments(into: "reference"), log: workspace.scratch.file("reference.log"))
        try #require(reference.status == 0, "uninterrupted run failed:\n\(reference.output)")

        // Crash runs use tools that stop themselves at birth (SIGSTOP, then exec), so no stage can
        // run to its end unseen: the planned stage is then run in 2 ms slices until its moment.
        let stopping = workspace.scratch.file("stopping-bin")
        try FileManager.default.createDirectory(atPath: stopping, withIntermediateDirectories: true)
        for tool in Self.tools {
            workspace.scratch.write("stopping-bin/\(tool)", "#!/bin/sh\nkill -STOP $$\nexec '\(ToolProcess.path(tool))' \"$@\"\n")
            chmod(stopping + "/" + tool, 0o755)
        }
        var landed: [Moment] = []
        for (index, moment) in Self.crashPlan(records: records).enumerated() {
            let make = try workspace.make(workspace.pipelineArguments(into: "crash") + ["TOOLS_BIN=\(stopping)"],
                                          log: workspace.scratch.file("crash-\(index).log"))
            let killed = Self.kill(at: moment, under: make,
                                   checkpoint: workspace.scratch.file("crash/work/REAL/\(Self.stages[moment.stage]).ndjson.part"))
            make.waitUntilExit()
            if let killed {
                landed.append(killed)
                #expect(make.terminationStatus != 0, "make must fail when its stage is killed (\(killed))")
            }
        }
        // Rerun until done, as a user would.
        var finished: PipelineSupport.Outcome?
        for attempt in 0..<3 {
            let outcome = try workspace.makeToEnd(workspace.pipelineArguments(into: "crash"), log: workspace.scratch.file("finish-\(attempt).log"))
            if outcome.status == 0 { finished = outcome; break }
        }
        try #require(finished != nil, "the pipeline did not finish after the kills")
        print("pipeline crash test: SIGKILL landed \(landed.count) times: \(landed.map(\.description).joined(separator: "; "))")
        #expect(landed.count >= 10, "only \(landed.count) kills landed: \(landed)")
        #expect(Set(landed.map(\.stage)).count >= 4, "kills landed in too few stages: \(landed)")

        // The same ids, each once, with the same fields and the same answers.
        let expected = try workspace.records("reference/work/REAL/categorized.ndjson")
        let actual = try workspace.records("crash/work/REAL/categorized.ndjson")
        #expect(expected.count == records)
        expectUniqueIDs(actual, count: records)
        #expect(Set(actual.compactMap(\.id)) == Set(expected.compactMap(\.id)))
        let byID = Dictionary(actual.map { ($0.id ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        for record in expected {
            let id = try #require(record.id)
            let other = try #require(byID[id], "\(id) missing after the crashes")
            #expect(other.keys == record.keys, "\(id): fields differ")
            for field in ["name", "key", "etag", "summary", "categories", "error"] {
                #expect(other[field] == record[field], "\(id): \(field) differs")
            }
        }

        // Every file under its final name decodes; nothing else is left (no .part, no temp files).
        let crash = workspace.scratch.file("crash")
        let leftovers = PipelineSupport.files(under: crash).filter { $0.hasSuffix(".part") || $0.contains(".tmp") || $0.hasPrefix(".") || $0.contains("/.") }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
        let downloads = PipelineSupport.files(under: crash + "/downloads/REAL_downloads").filter { !$0.hasPrefix("logs/") }
        let resized = PipelineSupport.files(under: crash + "/work/REAL/resized")
        let usable = actual.filter { $0["error"] == nil }
        #expect(Set(downloads) == Set(usable.compactMap { $0["path"]?.stringValue.map { ($0 as NSString).lastPathComponent } }))
        #expect(Set(resized) == Set(usable.compactMap { $0["image"]?["path"]?.stringValue.map { ($0 as NSString).lastPathComponent } }))
        #expect(downloads.count == images && resized.count == images)
        let undecodable = try PipelineSupport.undecodable(downloads.map { crash + "/downloads/REAL_downloads/" + $0 }
                                                          + resized.map { crash + "/work/REAL/resized/" + $0 })
        #expect(undecodable.isEmpty, "\(undecodable)")
        let workFiles = Set(PipelineSupport.files(under: crash + "/work/REAL").filter { !$0.hasPrefix("resized/") })
        // The records of each stage, and the log of each stage but s3fetch's (in the downloads folder).
        #expect(workFiles == Set(Self.stages.map { $0 + ".ndjson" } + Self.stages.filter { $0 != "fetched" }.map { "logs/\($0).log" }))
    }

    /// Listed names that used to collide: one stem under three extensions, two names of one key
    /// (another extension; another case), a name with spaces around it, a name listed twice.
    static let sameStemNames = ["stem1.jpg", "stem1.png", "stem1.webp", "stem2.png", "stem2.jpg", "UPPER.JPG", "UPPER.jpg",
                                " leading space.jpg ", "stem1.png"]
    static let sameStemFiles = ["stem1.jpg", "stem1.png", "stem1.webp", "stem2.png", "UPPER.JPG", " leading space.jpg "]

    @Test(.timeLimit(.minutes(10)))
    func sameStemNamesEachEndAsOneRecordAndOneFileThroughPipelineKilledAndRerun() throws {
        let workspace = try Workspace(imagesPerDataset: 1)
        defer { workspace.close() }
        let scratch = workspace.scratch
        // Real images drawn by Pillow, each different, stored under the names the list uses.
        let script = """
            import sys
            from PIL import Image, ImageDraw
            out = sys.argv[1]
            for i, name in enumerate(sys.argv[2:]):
                image = Image.new("RGB", (200 + 37 * i, 150 + 11 * i), (40 * i % 256, 255 - 30 * i, 90))
                ImageDraw.Draw(image).ellipse((10, 10, 60 + 20 * i, 80), fill=(255, 255 - 40 * i, 0))
                fmt = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[name.strip().rsplit(".", 1)[1].lower()]
                image.save(out + "/" + name, fmt)
            """
        try FileManager.default.createDirectory(atPath: scratch.file("ids"), withIntermediateDirectories: true)
        let drawn = try PipelineSupport.run(PipelineSupport.python, ["-c", script, scratch.file("ids")] + Self.sameStemFiles,
                                            in: workspace.path, environment: ProcessInfo.processInfo.environment, log: scratch.file("draw.log"))
        try #require(drawn.status == 0, "\(drawn.output)")
        try workspace.servers.upload(Self.sameStemFiles.map { scratch.file("ids/" + $0) }, bucket: workspace.bucket, prefix: "data/IDS/",
                                     log: scratch.file("upload-ids.log"))
        // Quoted as CSV quotes a name whose spaces belong to it.
        scratch.write("ids.csv", "image_name\n" + Self.sameStemNames.map { $0.hasPrefix(" ") ? "\"\($0)\"" : $0 }.joined(separator: "\n") + "\n")
        func arguments(into folder: String) -> [String] {
            ["pipeline", "DATASET=IDS", "LIST=ids.csv", "BUCKET=\(workspace.bucket)", "PREFIX=data/IDS/", "WORK=\(folder)/work",
             "DOWNLOADS=\(folder)/downloads", "FETCH_CONCURRENCY=4", "JOBS=1", "MAX_SIZE=160", "CONCURRENCY=1",
             "CATEGORY_CONCURRENCY=1", "PER_REQUEST=2", "AUTO_CONFIRM=1", "TOOL_FLAGS=-q"]
        }

        // Killed with SIGKILL in every stage after s3ls, as the big pipeline test does.
        let stopping = scratch.file("stopping-bin")
        try FileManager.default.createDirectory(atPath: stopping, withIntermediateDirectories: true)
        for tool in Self.tools {
            scratch.write("stopping-bin/\(tool)", "#!/bin/sh\nkill -STOP $$\nexec '\(ToolProcess.path(tool))' \"$@\"\n")
            chmod(stopping + "/" + tool, 0o755)
        }
        let plan = [Moment(stage: 0, afterLines: 0, afterMilliseconds: 3), Moment(stage: 1, afterLines: 2), Moment(stage: 2, afterLines: 3),
                    Moment(stage: 3, afterLines: 4), Moment(stage: 4, afterLines: 2)]
        var landed: [Moment] = []
        for (index, moment) in plan.enumerated() {
            let make = try workspace.make(arguments(into: "crash") + ["TOOLS_BIN=\(stopping)"], log: scratch.file("ids-crash-\(index).log"))
            if let killed = Self.kill(at: moment, under: make, checkpoint: scratch.file("crash/work/IDS/\(Self.stages[moment.stage]).ndjson.part")) {
                landed.append(killed)
            }
            make.waitUntilExit()
        }
        print("same-stem pipeline test: SIGKILL landed \(landed.count) times: \(landed.map(\.description).joined(separator: "; "))")
        #expect(landed.count >= 3, "only \(landed.count) kills landed: \(landed)")
        var finished: PipelineSupport.Outcome?
        for attempt in 0..<3 {
            let outcome = try workspace.makeToEnd(arguments(into: "crash"), log: scratch.file("ids-finish-\(attempt).log"))
            if outcome.status == 0 { finished = outcome; break }
        }
        try #require(finished != nil, "the pipeline did not finish after the kills")

        // Every listed name is one record: eight with unique ids, the name listed twice a
        // duplicate_id error record, in every stage file.
        let expectedIDs = ["stem1", "stem1.png", "stem1.webp", "stem2", "stem2.jpg", "UPPER", "UPPER.jpg", " leading space"]
        for stage in Self.stages {
            let records = try workspace.records("crash/work/IDS/\(stage).ndjson")
            #expect(records.count == Self.sameStemNames.count, "\(stage): \(records.count) records")
            let ok = records.filter { $0["error"] == nil }
            #expect(Set(expectUniqueIDs(ok, count: 8)) == Set(expectedIDs), "\(stage)")
            let errors = records.filter { $0["error"] != nil }
            #expect(errors.count == 1 && errors.first?.error?.code == "duplicate_id" && errors.first?["name"]?.stringValue == "stem1.png", "\(stage): \(errors)")
        }
        let final = try workspace.records("crash/work/IDS/categorized.ndjson").filter { $0["error"] == nil }
        #expect(final.allSatisfy { ($0["categories"]?.arrayValue?.count ?? 0) >= 1 && $0["summary"] != nil })

        // Downloads: one file per key, every byte as uploaded; names of one key share its path.
        let crash = scratch.file("crash")
        let downloads = PipelineSupport.files(under: crash + "/downloads/IDS_downloads").filter { !$0.hasPrefix("logs/") }
        #expect(downloads.sorted() == Self.sameStemFiles.sorted())
        for name in Self.sameStemFiles {
            #expect(FileManager.default.contents(atPath: crash + "/downloads/IDS_downloads/" + name)
                    == FileManager.default.contents(atPath: scratch.file("ids/" + name)), "\(name) differs from the upload")
        }
        let pathByID = Dictionary(uniqueKeysWithValues: final.map { ($0.id ?? "", $0["path"]?.stringValue ?? "") })
        #expect(pathByID["stem2"] == pathByID["stem2.jpg"] && pathByID["UPPER"] == pathByID["UPPER.jpg"])
        // Resized: one distinct file per id, each its own source's picture.
        let resizedPaths = final.compactMap { $0["image"]?["path"]?.stringValue }
        #expect(resizedPaths.count == 8 && Set(resizedPaths).count == 8, "\(resizedPaths)")
        let resized = PipelineSupport.files(under: crash + "/work/IDS/resized")
        #expect(resized.count == 8, "\(resized)")
        for record in final {
            let image = try #require(record["image"]?.objectValue)
            let path = scratch.file(image["path"]?.stringValue ?? "")
            #expect(FileManager.default.contents(atPath: path)?.count == image["bytes"]?.intValue, "\(path)")
            #expect(image["source_format"]?.stringValue == ["webp": "webp", "png": "png"][String(record["key"]?.stringValue?.split(separator: ".").last ?? "")] ?? "jpeg")
        }
        #expect(try PipelineSupport.undecodable(resized.map { crash + "/work/IDS/resized/" + $0 }).isEmpty)
        let leftovers = PipelineSupport.files(under: crash).filter { $0.hasSuffix(".part") || $0.contains(".tmp") || $0.contains("s3fetch-part") }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test(.timeLimit(.minutes(5)))
    func dropInBatchesAreListedTypedAndDownloadedIntoTheirFolders() throws {
        let workspace = try Workspace(imagesPerDataset: 6)
        defer { workspace.close() }
        let scratch = workspace.scratch
        try FileManager.default.createDirectory(atPath: scratch.file("to_download"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: scratch.file("sample/REAL.csv"), toPath: scratch.file("to_download/REAL_week1.csv"))
        try FileManager.default.copyItem(atPath: scratch.file("sample/GEN.csv"), toPath: scratch.file("to_download/GEN_week1.csv"))
        scratch.write("to_download/misc.csv", "photo_000.jpg\n")
        // The bucket and the S3 root come from config.yaml, as the Makefile's defaults.
        scratch.write("config.yaml", "caption_model: gemini-2.5-flash\ns3:\n  bucket: \(workspace.bucket)\n  prefix: data\n")

        let listing = try workspace.makeToEnd(["list-batches"], log: scratch.file("list.log"))
        #expect(listing.status == 0, "\(listing.output)")
        let lines = listing.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let row = { (name: String) in lines.first { $0.first == name } ?? [] }
        #expect(row("GEN_week1").starts(with: ["GEN_week1", "GEN", "7", "s3://\(workspace.bucket)/data/GEN/", "downloads/GEN_week1_downloads/"]))
        #expect(row("REAL_week1").starts(with: ["REAL_week1", "REAL", "7", "s3://\(workspace.bucket)/data/REAL/"]))
        // As the reference: the name's first `_` part, upper-cased, is the type.
        #expect(row("misc").starts(with: ["misc", "MISC", "1", "s3://\(workspace.bucket)/data/MISC/"]))

        let settings = try workspace.makeToEnd(["pipeline-settings", "DATASET=GEN_week1"], log: scratch.file("settings.log"))
        #expect(settings.output.contains("MODEL                gemini-2.5-flash\n"), "\(settings.output)")
        #expect(settings.output.contains("BUCKET               \(workspace.bucket)\n"))

        let downloads = try workspace.makeToEnd(["-j3", "downloads", "AUTO_CONFIRM=1", "TOOL_FLAGS=-q"], log: scratch.file("downloads.log"))
        #expect(downloads.status == 0, "\(downloads.output)")
        #expect(downloads.output.contains("GEN_week1: 7 listed, 6 found, 1 missing"), "\(downloads.output)")
        for name in ["REAL_week1", "GEN_week1"] {
            let files = PipelineSupport.files(under: scratch.file("downloads/\(name)_downloads")).filter { !$0.hasPrefix("logs/") }
            #expect(files.count == 6, "\(name): \(files)")
            #expect(try workspace.records("work/\(name)/fetched.ndjson").count == 7)
        }
        // misc is MISC: nothing under data/MISC/, so its one name is not found.
        let misc = try workspace.records("work/misc/fetched.ndjson")
        #expect(misc.count == 1 && misc.first?["error"]?["code"]?.stringValue == "not_found")
        // Finished stages are skipped on a rerun.
        let again = try workspace.makeToEnd(["downloads", "AUTO_CONFIRM=1"], log: scratch.file("again.log"))
        #expect(again.status == 0 && !again.output.contains("s3fetch"), "\(again.output)")

        // The missing image appears in the bucket: `make retry` lists and fetches just that id again.
        let late = scratch.file("render_not_in_the_bucket_gen.png")
        try FileManager.default.copyItem(atPath: scratch.file("sample/GEN/") + PipelineSupport.files(under: scratch.file("sample/GEN")).first!, toPath: late)
        try workspace.servers.upload([late], bucket: workspace.bucket, prefix: "data/GEN/", log: scratch.file("upload-late.log"))
        let retry = try workspace.makeToEnd(["retry", "DATASET=GEN_week1", "RETRY_FROM=listed", "AUTO_CONFIRM=1", "TOOL_FLAGS=-q"],
                                            log: scratch.file("retry.log"))
        #expect(retry.status == 0, "\(retry.output)")
        let fetched = try workspace.records("work/GEN_week1/fetched.ndjson")
        #expect(fetched.count == 7 && fetched.allSatisfy { $0["error"] == nil }, "\(fetched.map(\.keys))")
        #expect(retry.output.contains("1 downloaded"), "\(retry.output)")
        #expect(PipelineSupport.files(under: scratch.file("downloads/GEN_week1_downloads")).filter { !$0.hasPrefix("logs/") }.count == 7)
    }

    /// A fresh clone of this tree (so whatever the demo needs must be committed), or the tree
    /// itself when it is not a git checkout.
    static func cleanTree(in scratch: Scratch) throws -> String {
        let clone = scratch.file("clone")
        let outcome = try PipelineSupport.run("git", ["clone", "--quiet", PipelineSupport.root, clone], in: scratch.path,
                                              environment: ProcessInfo.processInfo.environment, log: scratch.file("clone.log"))
        return outcome.status == 0 ? clone : PipelineSupport.root
    }

    @Test(.timeLimit(.minutes(10)))
    func demoRunsFromACleanTreeWithNothingConfiguredAndStopsItsServers() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let tree = try Self.cleanTree(in: scratch)
        let temporary = scratch.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        // No keys, no AWS settings, nothing in the tree but what git holds: the demo brings its own
        // servers. The venv is shared (made by make deps) and the debug tools are used, so the test
        // neither installs nor builds.
        let environment = PipelineSupport.cleanEnvironment(home: scratch.path, extra: [
            "DEMO_SYNTHETIC": "8", "DEMO_SYNTHETIC_MAX_SIDE": "360", "EMULATOR_LATENCY_MS": "10", "TMPDIR": temporary, "VENV": PipelineSupport.root + "/.venv",
        ])
        let demo = try PipelineSupport.run("make", ["--no-print-directory", "demo"], in: tree, environment: environment,
                                           log: scratch.file("demo.log"))
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.output.contains("come from the Gemini EMULATOR"), "the demo must say the descriptions are emulated")
        #expect(demo.output.contains("reports/demo/REAL_vs_GEN/html/index.html"))

        let report = tree + "/reports/demo/REAL_vs_GEN"
        let charts = ["single-REAL.png", "counts.png", "percent.png"].map { report + "/" + $0 }
        #expect(try PipelineSupport.undecodable(charts).isEmpty)
        #expect(FileManager.default.fileExists(atPath: report + "/html/index.html"))
        let table = try #require(parseRecords(PipelineSupport.lines(report + "/statistics.ndjson")))
        let summary = try #require(table.last?["summary"])
        #expect(summary["images"]?["REAL"]?.intValue == 8 && summary["images"]?["GEN"]?.intValue == 8)
        #expect(summary["failed"]?["REAL"]?.intValue == 1 && summary["failed"]?["GEN"]?.intValue == 1)  // the missing names
        for dataset in ["REAL", "GEN"] {
            let records = try #require(parseRecords(PipelineSupport.lines(tree + "/work/demo/\(dataset)/categorized.ndjson")))
            expectUniqueIDs(records, count: 9)
            #expect(records.filter { $0["error"] == nil }.allSatisfy { ($0["categories"]?.arrayValue?.count ?? 0) >= 1 })
        }
        // The analysis: every described image embedded and clustered once, the clusters' sizes add
        // up per dataset, and the report shows its cluster, keyword and attribute sections in a
        // real browser.
        let analysis = report + "/analysis"
        let clustered = try #require(parseRecords(PipelineSupport.lines(analysis + "/clustered.ndjson")))
        #expect(clustered.filter { $0["error"] == nil && $0["cluster"]?.intValue != nil }.count == 16)
        let clusters = try #require(parseRecords(PipelineSupport.lines(analysis + "/clusters.ndjson")))
        #expect(clusters.count >= 2)
        for dataset in ["REAL", "GEN"] {
            #expect(clusters.compactMap { $0["sizes"]?[dataset]?.intValue }.reduce(0, +) == 8)
        }
        #expect(clusters.filter { $0["cluster"]?.intValue != -1 }.allSatisfy { !($0["keywords"]?.arrayValue ?? []).isEmpty })
        #expect(demo.output.contains("reports/demo/REAL_vs_GEN/analysis/html/index.html"))
        let page = try HeadlessBrowser.open(analysis + "/html/index.html", screenshot: scratch.file("analysis.png"), scratch: scratch.path)
        for section in ["id=\"clusters\"", "id=\"keywords\"", "id=\"field-description-style-lighting-"] {
            #expect(page.dom.contains(section), "the rendered report lacks \(section)")
        }
        #expect(try PipelineSupport.undecodable([page.screenshot]).isEmpty)
        #expect(PipelineSupport.files(under: tree + "/work").filter { $0.hasSuffix(".part") }.isEmpty)
        // The servers are gone: the demo's state folder under TMPDIR was removed by its trap.
        #expect(PipelineSupport.files(under: temporary).isEmpty, "\(PipelineSupport.files(under: temporary))")

        // A demo that fails half-way stops its servers too.
        var broken = environment
        broken["TOOLS_BIN"] = scratch.file("no-tools-here")
        let failed = try PipelineSupport.run("make", ["--no-print-directory", "demo"], in: tree, environment: broken,
                                             log: scratch.file("failed.log"))
        #expect(failed.status != 0)
        #expect(failed.output.contains("seaweedfs: stopped"), "\(failed.output)")
        #expect(PipelineSupport.files(under: temporary).isEmpty, "\(PipelineSupport.files(under: temporary))")
    }
}
