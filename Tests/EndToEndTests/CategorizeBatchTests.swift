// categorize --batch against the emulator's Batch Mode: the categories of an online run for the
// same answers, every id once, half price; kill -9 while polling and kill -9 right after the
// create's answer, each followed by a rerun that makes no second job; and the job's input
// inline for a small input (no upload) but an uploaded JSONL file for one over the inline limit;
// and the summary naming its price and where from (config prices, a local server at $0).
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct CategorizeBatchTests {
    func run(_ arguments: [String], input: String? = nil, emulator: GeminiEmulator, scratch: Scratch) throws -> ToolProcess.Result {
        scratch.write("categories.csv", CategorizeTests.categories)
        return try ToolProcess.run("categorize", ["--categories", scratch.file("categories.csv")] + arguments, input: input ?? "",
                                   directory: scratch.path, environment: emulator.environment)
    }

    func categories(_ records: [Record]) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: records.map { ($0.id ?? "", $0["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []) })
    }

    /// The dollars of the summary's "Batch Mode: cost $X" (or the first "cost $X" when online).
    func cost(in stderr: String, after marker: String) -> Double? {
        guard let start = stderr.range(of: marker + "cost $")?.upperBound else { return nil }
        return Double(stderr[start...].prefix { $0.isNumber || $0 == "." })
    }

    @Test func theSameCategoriesAsOnlineForEveryIDOnceAtHalfPrice() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        // 23 described records and one without a description (passes through untouched).
        scratch.write("in.ndjson", CategorizeTests.described(23) + #"{"id":"bare","path":"x.jpg"}"# + "\n")
        let online = try run(["--per-request", "5", "-o", "online.ndjson", "in.ndjson"], emulator: emulator, scratch: scratch)
        #expect(online.status == 0, "\(online.stderr)")
        let onlineCalls = try emulator.stats()["generate_content"] as? Int ?? 0
        // 5 requests of up to 5 descriptions, 2 per job: 3 jobs.
        let batch = try run(["--batch", "--per-request", "5", "--batch-size", "2", "--poll-seconds", "0.05", "-o", "batch.ndjson", "in.ndjson"],
                            emulator: emulator, scratch: scratch)
        #expect(batch.status == 0, "\(batch.stderr)")
        let onlineRecords = try #require(parseRecords(scratch.lines("online.ndjson")))
        let batchRecords = try #require(parseRecords(scratch.lines("batch.ndjson")))
        #expect(batchRecords.compactMap(\.id).sorted() == ((0..<23).map { "d\($0)" } + ["bare"]).sorted())
        #expect(batchRecords.allSatisfy { !$0.hasError })
        #expect(categories(batchRecords) == categories(onlineRecords))
        #expect(categories(batchRecords)["d0"] == ["pets"] && categories(batchRecords)["d3"] == ["unknown"])
        #expect(batchRecords.first { $0.id == "bare" }?["categories"] == nil)
        #expect(batchRecords.filter { $0.id != "bare" }.allSatisfy {
            $0["category_model"]?.stringValue == "gemini-2.5-flash-lite" && $0["emulated"]?.boolValue == true
        })
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 3)
        #expect(stats["batches_inline"] as? Int == 3 && stats["files_uploaded"] as? Int == 0)  // small: inline, no upload
        #expect(stats["generate_content"] as? Int == onlineCalls)  // no single call in Batch Mode
        // The same requests, so the same tokens: the batch costs half the online run.
        #expect(batch.stderr.contains("at $0.05/$0.20 per 1M input/output tokens (built-in gemini-2.5-flash-lite, batch discount 50%)"),
                "\(batch.stderr)")
        #expect(online.stderr.contains("at $0.10/$0.40 per 1M input/output tokens (built-in gemini-2.5-flash-lite)"), "\(online.stderr)")
        let full = try #require(cost(in: online.stderr, after: "thinking; "))
        let half = try #require(cost(in: batch.stderr, after: "Batch Mode: "))
        #expect(full > 0 && abs(half - full / 2) <= 0.0001, "online \(full), batch \(half)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("batch.ndjson.batch.json")))  // all collected
    }

    /// A categorize --batch run of `count` descriptions in one job, killed by `kill`; then a rerun
    /// that must write every id once, categorized, with no second job.
    func killThenRerun(count: Int, batchSeconds: String, kill: (GeminiEmulator, [String], Scratch) throws -> Void,
                       rerunSays expected: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", batchSeconds])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("categories.csv", CategorizeTests.categories)
        scratch.write("in.ndjson", CategorizeTests.described(count))
        let arguments = ["--categories", scratch.file("categories.csv"), "--batch", "--per-request", "4", "--poll-seconds", "0.05",
                         "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        try kill(emulator, arguments, scratch)
        #expect(scratch.lines("out.ndjson").isEmpty)
        let rerun = try ToolProcess.run("categorize", arguments, environment: emulator.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains(expected), "\(rerun.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == (0..<count).map { "d\($0)" }.sorted())
        #expect(records.allSatisfy { !$0.hasError && $0["categories"] != nil })
        #expect(try emulator.stats()["batches_created"] as? Int == 1)
    }

    @Test func killNineWhilePollingThenRerunPollsTheSameJob() throws {
        try killThenRerun(count: 12, batchSeconds: "4", kill: { emulator, arguments, scratch throws in
            #expect(try emulator.killWhilePolling("categorize", arguments, scratch: scratch))
        }, rerunSays: "jobs from an earlier run")
    }

    @Test func killNineRightAfterTheCreateThenRerunAdoptsTheJob() throws {
        try killThenRerun(count: 9, batchSeconds: "0.5", kill: { emulator, arguments, scratch throws in
            #expect(try emulator.killWhileACreateIsHeld("categorize", arguments, scratch: scratch))
            #expect(!scratch.read("out.ndjson.batch.json").contains("batches/"), "the kill came after the state write")
        }, rerunSays: "batch: adopting batches/1001")
    }

    @Test func anInputOverTheInlineLimitIsUploadedAsAFile() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        // 1,100 descriptions of 20 KB: one job of 55 requests, about 22 MB, over the 20 MB of
        // inline requests; each ends with a word that names its category.
        let words = ["red", "stone", "window", "cloud", "table", "river", "garden", "light", "paper", "corner"]
        let listed = ["pets", "food", "street", "nature", "vehicles", "beach"]
        var input = ""
        for i in 0..<1100 {
            var text = ""
            var n = i
            while text.utf8.count < 20_000 {
                text += words[n % words.count] + " "
                n = (n * 31 + 7) % 1_000_003
            }
            let record: Record = ["id": .string("d\(i)"), "summary": .string(text + listed[i % listed.count])]
            input += JSONSerializer.string(record) + "\n"
        }
        scratch.write("in.ndjson", input)
        let result = try run(["--batch", "--per-request", "20", "--poll-seconds", "0.1", "-o", "out.ndjson", "in.ndjson"],
                             emulator: emulator, scratch: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("batch: uploading 55 requests"), "\(result.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == (0..<1100).map { "d\($0)" }.sorted())
        // The file's results come back shuffled: each pack's answer still reaches its own records.
        for record in records {
            let index = Int(record.id!.dropFirst())!
            #expect(record["categories"]?.arrayValue?.compactMap(\.stringValue) == [listed[index % listed.count]], "\(record.id!)")
        }
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 1 && stats["files_uploaded"] as? Int == 1 && stats["batches_inline"] as? Int == 0)
    }

    @Test func theSummaryNamesThePriceItUsedAndWhereFrom() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", CategorizeTests.described(6))
        // config.yaml's prices win over the built-in table, with their own batch discount.
        scratch.write("config.yaml", "prices:\n  gemini-2.5-flash-lite: {input: 1, output: 2, batch_discount: 0.25}\n")
        let configured = try run(["--batch", "--poll-seconds", "0.05", "-o", "out.ndjson", "in.ndjson"], emulator: emulator, scratch: scratch)
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stderr.contains("at $0.75/$1.50 per 1M input/output tokens (config prices, batch discount 25%)"), "\(configured.stderr)")
        // A model no table prices, on the emulator's loopback URL: a local server, $0.
        scratch.write("config.yaml", "")
        let local = try run(["--model", "gemini-3-flash-preview", "in.ndjson"], emulator: emulator, scratch: scratch)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stderr.contains("cost $0 (local server, no price given)"), "\(local.stderr)")
        // A bad entry: one line naming the file and the key, before any call.
        scratch.write("config.yaml", "prices:\n  gemini-2.5-flash-lite: {input: cheap}\n")
        let bad = try run(["in.ndjson"], emulator: emulator, scratch: scratch)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("config.yaml: prices.gemini-2.5-flash-lite.input: '\"cheap\"' is not a price"), "\(bad.stderr)")
        #expect(try emulator.stats()["generate_content"] as? Int == 1)  // the local run: 6 descriptions in one call; the bad config none
    }

    @Test func batchNeedsAPlaceForItsJobNamesAndRefusesDiscover() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let scratch = Scratch()
        defer { scratch.remove() }
        let noOutput = try run(["--batch"], input: CategorizeTests.described(2), emulator: emulator, scratch: scratch)
        #expect(noOutput.status == 2)
        #expect(noOutput.stderr.contains("--batch needs -o FILE or --batch-state FILE"), "\(noOutput.stderr)")
        let discover = try run(["--batch", "--discover", "5", "-o", "out.ndjson"], input: CategorizeTests.described(2), emulator: emulator, scratch: scratch)
        #expect(discover.status == 2)
        #expect(try emulator.stats()["batches_created"] as? Int == 0)
    }
}
