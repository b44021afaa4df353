// gemini-describe against the project's Gemini emulator, as real processes: the bytes arrive,
// every fault ends as a correct record or error record, kill -9 resumes, keys stay secret.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct GeminiDescribeTests {
    let allowedFailureCodes: Set<String> = ["blocked", "max_tokens", "empty_response", "invalid_json", "rate_limited",
                                            "unavailable", "server_error", "timeout", "network", "bad_response"]

    func describe(_ arguments: [String], input: String, emulator: GeminiEmulator, directory: String? = nil,
                  face: EmulatorFace = .gemini) throws -> ToolProcess.Result {
        try ToolProcess.run("gemini-describe", emulator.arguments(face) + arguments, input: input, directory: directory,
                            environment: emulator.environment(face))
    }

    @Test(arguments: EmulatorFace.allCases) func everyImageIsDescribedFromItsOwnBytes(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 8)
        let result = try describe([], input: images.joined(separator: "\n") + "\n", emulator: emulator, face: face)
        #expect(result.status == 0)
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.count == 8)
        // The records are the same whichever face answered; only the endpoint tells them apart.
        let endpoint = face == .openai ? emulator.openAIBaseURL : emulator.baseURL
        #expect(records.allSatisfy { $0["endpoint"]?.stringValue == endpoint && $0["emulated"] == .bool(true) })
        #expect(Set(records.map { $0.keys.sorted() }).count == 1)
        for (i, record) in records.sorted(by: { ($0.id ?? "") < ($1.id ?? "") }).enumerated() {
            let width = 200 + 37 * i, height = 100 + 23 * i
            #expect(record.id == String(format: "img%03d", i))
            // The emulator writes the size of the image it decoded into the summary.
            #expect(record["summary"]?.stringValue?.contains("(\(width)x\(height) pixels)") == true)
            #expect(record["description"]?["objects"]?.arrayValue?.isEmpty == false)
            #expect(record["model"]?.stringValue == "gemini-2.5-flash-lite")
            #expect(record["finish_reason"]?.stringValue == "STOP")
            #expect(record["usage"]?["input_tokens"]?.intValue ?? 0 > 258)
            #expect(record["usage"]?["output_tokens"]?.intValue ?? 0 > 0)
        }
        #expect(result.stderr.contains("gemini-describe: 8 ok, 0 failed"))
        #expect(result.stderr.contains("cost $"))
        #expect((try emulator.stats()["images"] as? Int) == 8)
        #expect((try emulator.stats()["openai_chat"] as? Int ?? 0) == (face == .openai ? 8 : 0))
    }

    @Test func largeImagesAreShrunkBeforeSending() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 1, baseWidth: 1600)
        let record = #"{"id":"big","path":"\#(images[0])"}"#
        let result = try describe(["--max-size", "400"], input: record + "\n", emulator: emulator)
        let out = try #require(parseRecords(result.stdoutLines)?.first)
        #expect(out["summary"]?.stringValue?.contains("(400x200 pixels)") == true)
    }

    @Test(arguments: EmulatorFace.allCases) func everyFaultEndsAsARecordOrAnErrorRecordExactlyOnce(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let faults = "429=0.1,500=0.05,503=0.08,504=0.03,drop=0.05,malformed=0.05,trailing=0.05,max_tokens=0.05,"
            + "max_tokens_empty=0.03,safety=0.03,blocked=0.03,empty=0.03,error_array=0.03,502_html=0.03,slow=0.02"
        let emulator = try GeminiEmulator(["--faults", faults, "--seed", "7", "--retry-delay", "0.1", "--slow-ms", "300"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 40, baseWidth: 64)
        scratch.write("config.yaml", "processing:\n  retry_backoff_seconds: 0.02\n  max_retries: 8\n")
        let result = try describe(["--concurrency", "8"], input: images.joined(separator: "\n") + "\n",
                                  emulator: emulator, directory: scratch.path, face: face)
        #expect(result.status == 0)
        let records = try #require(parseRecords(result.stdoutLines))
        let ids = records.compactMap(\.id)
        #expect(ids.count == 40)
        #expect(Set(ids) == Set((0..<40).map { String(format: "img%03d", $0) }))
        for record in records {
            if let error = record.error {
                #expect(allowedFailureCodes.contains(error.code), "unexpected code \(error.code): \(error.message)")
                #expect(error.stage == "gemini-describe")
                #expect(record["description"] == nil)
            } else {
                #expect(record["description"]?["summary"]?.stringValue?.isEmpty == false)
            }
        }
        // Most items survive the faults through retries; blocked answers are not retried.
        #expect(records.filter { !$0.hasError }.count >= 28)
        let stats = try emulator.stats()
        #expect((stats["generate_content"] as? Int ?? 0) > 40)
        #expect((stats["openai_chat"] as? Int ?? 0) == (face == .openai ? stats["generate_content"] as? Int : 0))
    }

    @Test(arguments: EmulatorFace.allCases) func killNineThenRerunGivesEveryIDOnce(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "100"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 30, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let output = scratch.file("out.ndjson")
        let process = try ToolProcess.start("gemini-describe", emulator.arguments(face) + ["--concurrency", "2", "-o", output, scratch.file("in.txt")],
                                            stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"), environment: emulator.environment(face))
        let started = waitUntil { scratch.lines("out.ndjson").count >= 6 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(started)
        #expect(scratch.lines("out.ndjson").count < 30)
        let rerun = try ToolProcess.run("gemini-describe", emulator.arguments(face) + ["-o", output, scratch.file("in.txt")],
                                        environment: emulator.environment(face))
        #expect(rerun.status == 0)
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 30)
        #expect(Set(records.compactMap(\.id)).count == 30)
        #expect(records.allSatisfy { !$0.hasError })
    }

    @Test func ctrlCWritesEveryAnswerThatArrived() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "400"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 40, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let process = try ToolProcess.start("gemini-describe", ["--concurrency", "4", "-o", scratch.file("out.ndjson"), scratch.file("in.txt")], stdoutFile: scratch.file("stdout"),
                                            stderrFile: scratch.file("stderr"), environment: emulator.environment)
        let started = waitUntil { scratch.lines("out.ndjson").count >= 4 }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(started)
        #expect(process.terminationStatus == 130)
        let written = scratch.lines("out.ndjson").count
        #expect(written < 40)
        // Every request the emulator answered is in the file: the calls in flight were finished.
        #expect((try emulator.stats()["ok"] as? Int) == written)
    }

    @Test func missingOrRefusedKeyFailsFastAndTheKeyNeverShows() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let noKey = try ToolProcess.run("gemini-describe", [], input: "a.jpg\n",
                                        environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": emulator.baseURL])
        #expect(noKey.status == 1)
        #expect(noKey.stderr.contains("no API key: set GEMINI_API_KEY"))
        let secret = "sk-secret-\(UUID().uuidString)"
        let refused = try ToolProcess.run("gemini-describe", [], input: "a.jpg\n",
                                          environment: ["GEMINI_API_KEY": secret, "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": emulator.baseURL])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("API key is not valid"))
        #expect(!refused.stderr.contains(secret) && !refused.stdout.contains(secret))
        #expect((try emulator.stats()["generate_content"] as? Int) == 0)
    }

    @Test func unknownModelFailsAtStartNamingTheAvailableOnes() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try ToolProcess.run("gemini-describe", ["--model", "gemini-9-ultra"], input: "a.jpg\n", environment: emulator.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("model 'gemini-9-ultra' is not available"))
        #expect(result.stderr.contains("gemini-2.5-flash-lite"))
    }

    @Test(arguments: EmulatorFace.allCases) func perDayQuotaStopsTheRunAndKeepsFinishedRecords(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--rpd", "3"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 6, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let result = try ToolProcess.run("gemini-describe", emulator.arguments(face) + ["--concurrency", "1", "-o", scratch.file("out.ndjson"), scratch.file("in.txt")],
                                         environment: emulator.environment(face))
        #expect(result.status == 1)
        // OpenAI-style servers say insufficient_quota where Gemini names a per-day quota.
        #expect(result.stderr.contains(face == .openai ? "quota or credit used up" : "daily quota"), "\(result.stderr)")
        let kept = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(kept.count == 3)
        #expect(kept.allSatisfy { !$0.hasError })
    }

    @Test func dryRunEstimatesWithoutCalling() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 5, baseWidth: 300)
        let result = try describe(["--dry-run", "--media-resolution", "low"], input: images.joined(separator: "\n") + "\n", emulator: emulator)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("dry run: 5 images"))
        #expect(result.stderr.contains("2.x media resolution LOW: 64 tokens per image"))
        #expect(result.stderr.contains("estimated cost $"))
        #expect((try emulator.stats()["generate_content"] as? Int) == 0)
    }

    @Test func customSchemaAndPromptReplaceTheDefaults() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 1, baseWidth: 64)
        scratch.write("schema.json", #"{"type":"OBJECT","properties":{"caption":{"type":"STRING"},"tags":{"type":"ARRAY","items":{"type":"STRING"},"maxItems":2}},"required":["caption","tags"]}"#)
        scratch.write("prompt.txt", "Caption it.")
        let result = try describe(["--schema-file", scratch.file("schema.json"), "--prompt-file", scratch.file("prompt.txt")],
                                  input: images[0] + "\n", emulator: emulator)
        let record = try #require(parseRecords(result.stdoutLines)?.first)
        #expect(record["description"]?.objectValue?.keys == ["caption", "tags"])
        #expect(record["description"]?["tags"]?.arrayValue?.count == 2)
        #expect(record["summary"] == nil)
        scratch.write("bad.json", #"{"type":"OBJECT","additionalProperties":false}"#)
        let bad = try describe(["--schema-file", scratch.file("bad.json")], input: images[0] + "\n", emulator: emulator)
        #expect(try #require(parseRecords(bad.stdoutLines)?.first).error?.code == "bad_request")
    }
}
