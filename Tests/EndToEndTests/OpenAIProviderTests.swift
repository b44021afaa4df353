// --provider openai against the emulator's OpenAI-compatible face, as real processes: the same
// records as the Gemini face gives, the fallback when json_schema is refused (once, said once),
// a local server without a key, a refused key that never shows, and --batch refused at start on a
// server without /v1/batches.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct OpenAIProviderTests {
    @Test func bothFacesGiveTheSameRecordsButTheEndpoint() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let images = try makeTestImages(in: scratch.path, count: 3, baseWidth: 120)
        var byFace: [EmulatorFace: [Record]] = [:]
        for face in EmulatorFace.allCases {
            let result = try ToolProcess.run("gemini-describe", emulator.arguments(face), input: images.joined(separator: "\n") + "\n",
                                             environment: emulator.environment(face))
            #expect(result.status == 0, "\(face): \(result.stderr)")
            let records = try #require(parseRecords(result.stdoutLines)).sorted { ($0.id ?? "") < ($1.id ?? "") }
            byFace[face] = records.map { record in
                var record = record
                record["endpoint"] = nil
                return record
            }
        }
        let gemini = try #require(byFace[.gemini])
        #expect(gemini.count == 3)
        #expect(byFace[.openai] == gemini)
        #expect(gemini.allSatisfy { $0["usage"]?["input_tokens"]?.intValue ?? 0 > 258 })
    }

    /// gemini-describe of `count` images through the OpenAI face with json_schema refused (the
    /// fallback), `concurrency` in flight; its records (count checked) and the run.
    func describeWithJSONSchemaRefused(_ emulator: GeminiEmulator, count: Int, concurrency: Int,
                                       scratch: Scratch) throws -> (records: [Record], result: ToolProcess.Result) {
        try emulator.configure(#"{"openai_json_schema": false}"#)
        let images = try makeTestImages(in: scratch.path, count: count, baseWidth: 64)
        let result = try ToolProcess.run("gemini-describe", emulator.arguments(.openai) + ["--concurrency", "\(concurrency)"],
                                         input: images.joined(separator: "\n") + "\n", environment: emulator.environment(.openai))
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.count == count)
        return (records, result)
    }

    /// categorize of 9 described records in packs of 4 through the OpenAI face: every id once,
    /// each in a listed category, none an error; the run.
    func categorizeNine(_ emulator: GeminiEmulator, scratch: Scratch) throws -> ToolProcess.Result {
        scratch.write("categories.csv", CategorizeTests.categories)
        let categorized = try ToolProcess.run("categorize", emulator.arguments(.openai) + ["--categories", scratch.file("categories.csv"), "--per-request", "4"],
                                              input: CategorizeTests.described(9), environment: emulator.environment(.openai))
        #expect(categorized.status == 0, "\(categorized.stderr)")
        let categories = try #require(parseRecords(categorized.stdoutLines))
        CategorizeTests().checkEveryIDOnceWithListedCategories(categories, count: 9)
        #expect(categories.allSatisfy { !$0.hasError })
        return categorized
    }

    @Test func refusedJSONSchemaFallsBackOnceAndSaysSo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let (records, described) = try describeWithJSONSchemaRefused(emulator, count: 6, concurrency: 3, scratch: scratch)
        #expect(records.allSatisfy { !$0.hasError && $0["description"]?["objects"]?.arrayValue?.isEmpty == false })
        #expect(records.allSatisfy { $0["summary"]?.stringValue?.contains(" pixels)") == true })
        #expect(described.stderr.components(separatedBy: "refused response_format json_schema").count == 2, "\(described.stderr)")
        // Only the calls already sent with json_schema were refused (at most the 3 in flight).
        let refusals = (try emulator.stats()["errors"] as? [String: Int])?["400"] ?? 0
        #expect((1...3).contains(refusals))

        // categorize's array answer goes through the fallback too (wrapped, validated, unwrapped).
        let categorized = try categorizeNine(emulator, scratch: scratch)
        #expect(categorized.stderr.components(separatedBy: "refused response_format json_schema").count == 2)
    }

    /// A model that takes only max_completion_tokens and its default temperature (OpenAI's
    /// reasoning models, gpt-5 among them) refuses max_tokens and 0.2: the run switches once for
    /// each and says so; with a refused json_schema too, every fallback happens once and every
    /// record is whole.
    @Test func refusedMaxTokensSwitchesToMaxCompletionTokensOnceAndSaysSo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        try emulator.configure(#"{"openai_max_tokens": false, "openai_temperature": false}"#)
        let images = try makeTestImages(in: scratch.path, count: 6, baseWidth: 64)
        let described = try ToolProcess.run("gemini-describe", emulator.arguments(.openai) + ["--concurrency", "3"],
                                            input: images.joined(separator: "\n") + "\n", environment: emulator.environment(.openai))
        #expect(described.status == 0, "\(described.stderr)")
        let records = try #require(parseRecords(described.stdoutLines))
        #expect(records.count == 6 && records.allSatisfy { !$0.hasError && $0["description"]?["objects"]?.arrayValue?.isEmpty == false })
        #expect(described.stderr.components(separatedBy: "refused max_tokens").count == 2, "\(described.stderr)")
        #expect(described.stderr.contains("sending max_completion_tokens for the rest of the run"))
        #expect(described.stderr.components(separatedBy: "refused the temperature").count == 2, "\(described.stderr)")
        let refusals = (try emulator.stats()["errors"] as? [String: Int])?["400"] ?? 0
        #expect((2...6).contains(refusals), "only the calls in flight before each switch were refused")

        try emulator.configure(#"{"openai_json_schema": false}"#)
        let categorized = try categorizeNine(emulator, scratch: scratch)
        #expect(categorized.stderr.components(separatedBy: "refused max_tokens").count == 2, "\(categorized.stderr)")
        #expect(categorized.stderr.components(separatedBy: "refused response_format json_schema").count == 2, "\(categorized.stderr)")
    }

    @Test func answersThatDriftFromTheSchemaAreAskedAgainAfterTheFallback() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--faults", "schema_drift=0.3", "--seed", "5"])
        defer { withExtendedLifetime(emulator) {} }
        let (records, _) = try describeWithJSONSchemaRefused(emulator, count: 12, concurrency: 4, scratch: scratch)
        let fields = ["summary", "objects", "scene", "style", "camera", "text", "quality"]
        // A drifted answer is never written as a description: each one has every field, or the
        // record failed as invalid_json after its retries.
        for record in records {
            if let error = record.error {
                #expect(error.code == "invalid_json" && error.message.contains("does not fit the schema"), "\(error.message)")
            } else {
                #expect(record["description"]?.objectValue?.keys == fields)
            }
        }
        #expect(records.filter { !$0.hasError }.count >= 10)
        let stats = try emulator.stats()
        #expect(((stats["faults"] as? [String: Int])?["schema_drift"] ?? 0) >= 2)
        // More answers than images (the refusals of json_schema aside): drifted ones were asked again.
        let answered = (stats["openai_chat"] as? Int ?? 0) - ((stats["errors"] as? [String: Int])?["400"] ?? 0)
        #expect(answered > 12)
    }

    @Test func aLocalServerNeedsNoKeyAndARefusedKeyNeverShows() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let images = try makeTestImages(in: scratch.path, count: 2, baseWidth: 64)
        let local = try GeminiEmulator(["--openai-no-key"])
        var noKey = local.environment(.openai)
        noKey["OPENAI_API_KEY"] = ""
        let served = try ToolProcess.run("gemini-describe", local.arguments(.openai), input: images.joined(separator: "\n") + "\n", environment: noKey)
        #expect(served.status == 0, "\(served.stderr)")
        #expect(try #require(parseRecords(served.stdoutLines)).allSatisfy { !$0.hasError })
        withExtendedLifetime(local) {}

        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let refusedWithout = try ToolProcess.run("gemini-describe", emulator.arguments(.openai), input: images[0] + "\n", environment: noKey)
        #expect(refusedWithout.status == 1)
        #expect(refusedWithout.stderr.contains("OPENAI_API_KEY"))
        let secret = "sk-canary-\(UUID().uuidString)"
        var wrongKey = emulator.environment(.openai)
        wrongKey["OPENAI_API_KEY"] = secret
        let refused = try ToolProcess.run("gemini-describe", emulator.arguments(.openai) + ["--no-model-check", "-o", scratch.file("out.ndjson")],
                                          input: images[0] + "\n", environment: wrongKey)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the API key was refused") && refused.stderr.contains("OPENAI_API_KEY"), "\(refused.stderr)")
        let written = (try? String(contentsOfFile: scratch.file("out.ndjson"), encoding: .utf8)) ?? ""
        #expect(![refused.stderr, refused.stdout, written].contains { $0.contains(secret) })
        // The right key works, and is nowhere in what the tool writes.
        let fine = try ToolProcess.run("embed", emulator.arguments(.openai) + ["--dimensions", "8"],
                                       input: EmbedTests.describedRecords(3), environment: emulator.environment(.openai))
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(try #require(parseRecords(fine.stdoutLines)).allSatisfy { $0["embedding"]?.arrayValue?.count == 8 })
        #expect(!fine.stdout.contains(GeminiEmulator.apiKey) && !fine.stderr.contains(GeminiEmulator.apiKey))
    }

    @Test func anUnknownModelFailsAtStartNamingTheServedOnes() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let result = try ToolProcess.run("gemini-describe", emulator.arguments(.openai) + ["--model", "llava-9000"], input: "a.jpg\n",
                                         environment: emulator.environment(.openai))
        #expect(result.status == 1)
        #expect(result.stderr.contains("model 'llava-9000' is not available at \(emulator.openAIBaseURL)"))
        #expect(result.stderr.contains("gemini-2.5-flash-lite"))
        #expect((try emulator.stats()["openai_chat"] as? Int ?? 0) == 0)
    }

    @Test func batchModeWithoutBatchesAndAMissingBaseURLAreRefusedAtStart() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        // A server without the Batch API (/v1/batches answers 404, as vLLM's or Ollama's does).
        try emulator.configure(#"{"openai_batches": false}"#)
        scratch.write("in.ndjson", EmbedTests.describedRecords(2))
        scratch.write("categories.csv", CategorizeTests.categories)
        for tool in ["gemini-describe", "categorize", "embed"] {
            let list = tool == "categorize" ? ["--categories", scratch.file("categories.csv")] : []
            let result = try ToolProcess.run(tool, emulator.arguments(.openai) + list + ["--batch", "-o", scratch.file("\(tool).ndjson"), scratch.file("in.ndjson")],
                                             environment: emulator.environment(.openai))
            #expect(result.status == 2)
            #expect(result.stderr.contains("--batch with --provider openai needs a server with /v1/batches and /v1/files; \(emulator.openAIBaseURL) has none"),
                    "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: scratch.file("\(tool).ndjson")))
        }
        #expect(try emulator.stats()["batches_created"] as? Int == 0 && emulator.stats()["files_uploaded"] as? Int == 0)
        let asked = try emulator.stats()["openai_requests"] as? Int ?? 0
        let noBase = try ToolProcess.run("categorize", ["--provider", "openai", "--categories", scratch.file("categories.csv")], input: "",
                                         environment: emulator.environment(.openai))
        #expect(noBase.status != 0)
        #expect(noBase.stderr.contains("--provider openai needs the server's base URL"), "\(noBase.stderr)")
        #expect((try emulator.stats()["openai_requests"] as? Int ?? 0) == asked)
    }
}
