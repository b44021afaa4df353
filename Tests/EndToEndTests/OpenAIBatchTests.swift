// --batch with --provider openai against the emulator's OpenAI-style Batch API (/v1/files +
// /v1/batches), as real processes: gemini-describe, categorize and embed write the records the
// online OpenAI run writes, every id once, over one uploaded file and one job, at the batch
// discount; kill -9 while polling and kill -9 right after the create's answer, each followed by
// a rerun that makes no second job; failed lines become retryable error records; and a server
// without /v1/batches is refused at start.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct OpenAIBatchTests {
    /// The records of `lines` by id (each id once), without the usage block (a batch job has no
    /// retries, so its usage can differ from an online call's).
    func byID(_ lines: [String]) throws -> [String: Record] {
        let records = try #require(parseRecords(lines))
        var out: [String: Record] = [:]
        for record in records {
            var record = record
            record["usage"] = nil
            let id = try #require(record.id)
            #expect(out[id] == nil, "\(id) twice")
            out[id] = record
        }
        return out
    }

    /// Runs `tool` online and with --batch through the OpenAI face on the same input; both
    /// outputs must hold the same records; returns the batch run's stderr.
    func onlineAndBatch(_ tool: String, _ arguments: [String], input: String, count: Int, emulator: GeminiEmulator,
                        scratch: Scratch) throws -> String {
        scratch.write("in.txt", input)
        let common = emulator.arguments(.openai) + arguments
        let online = try ToolProcess.run(tool, common + ["-o", scratch.file("online.ndjson"), scratch.file("in.txt")],
                                         environment: emulator.environment(.openai))
        #expect(online.status == 0, "\(online.stderr)")
        let onlineCalls = try emulator.stats()["openai_requests"] as? Int ?? 0
        let batch = try ToolProcess.run(tool, common + ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("batch.ndjson"), scratch.file("in.txt")],
                                        environment: emulator.environment(.openai))
        #expect(batch.status == 0, "\(batch.stderr)")
        let onlineRecords = try byID(scratch.lines("online.ndjson"))
        let batchRecords = try byID(scratch.lines("batch.ndjson"))
        #expect(onlineRecords.count == count && batchRecords.count == count)
        #expect(batchRecords.values.allSatisfy { !$0.hasError && $0["emulated"]?.boolValue == true })
        #expect(batchRecords == onlineRecords)
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 1 && stats["files_uploaded"] as? Int == 1 && stats["batch_lines"] as? Int ?? 0 > 0)
        #expect(stats["batches_inline"] as? Int == 0)  // the OpenAI API has no inline requests
        // No single call in Batch Mode: the batch run's requests are the probe, the list, the
        // upload, the create, the polls and the download only.
        #expect((stats["openai_chat"] as? Int ?? 0) + (stats["openai_embeddings"] as? Int ?? 0) <= onlineCalls)
        #expect(batch.stderr.contains("batch discount 50%"), "\(batch.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("batch.ndjson.batch.json")))  // all collected
        return batch.stderr
    }

    @Test func describeGivesTheOnlineRecords() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3"])
        defer { withExtendedLifetime(emulator) {} }
        let images = try makeTestImages(in: scratch.path, count: 4, baseWidth: 64)
        let stderr = try onlineAndBatch("gemini-describe", [], input: images.joined(separator: "\n") + "\n", count: 4,
                                        emulator: emulator, scratch: scratch)
        #expect(stderr.contains("batch: created batch_1001 with 4 requests for 4 records"), "\(stderr)")
        #expect(stderr.contains("batch_1001 SUCCEEDED (4 requests, 4 ok, 0 failed)"), "\(stderr)")
    }

    @Test func categorizeGivesTheOnlineRecords() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3"])
        defer { withExtendedLifetime(emulator) {} }
        scratch.write("categories.csv", CategorizeTests.categories)
        // The wrapped array answer of strict json_schema is unwrapped as online.
        _ = try onlineAndBatch("categorize", ["--categories", scratch.file("categories.csv"), "--per-request", "4"],
                               input: CategorizeTests.described(11), count: 11, emulator: emulator, scratch: scratch)
        let records = try byID(scratch.lines("batch.ndjson"))
        #expect(records["d0"]?["categories"] == ["pets"] && records["d3"]?["categories"] == ["unknown"])
    }

    @Test func embedGivesTheOnlineRecords() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3"])
        defer { withExtendedLifetime(emulator) {} }
        _ = try onlineAndBatch("embed", ["--dimensions", "8"], input: EmbedTests.describedRecords(7), count: 7, emulator: emulator, scratch: scratch)
        let records = try byID(scratch.lines("batch.ndjson"))
        #expect(records.values.allSatisfy { $0["embedding"]?.arrayValue?.count == 8 })
    }

    /// The three tools, their arguments (CATEGORIES: the list's path) and `count` inputs
    /// written into scratch (image paths for gemini-describe, described records for the others).
    static func tools(count: Int) -> [(tool: String, arguments: [String], input: (Scratch) throws -> String)] {
        [("gemini-describe", [], { scratch in
            try makeTestImages(in: scratch.path, count: count, baseWidth: 64).joined(separator: "\n") + "\n"
        }),
         ("categorize", ["--categories", "CATEGORIES", "--per-request", "4"], { _ in CategorizeTests.described(count) }),
         ("embed", ["--dimensions", "8"], { _ in EmbedTests.describedRecords(count) })]
    }

    /// A --batch `tool` run of `input` (`count` ids) in one job, killed by `kill`; then a rerun
    /// that must write every id once, without error, with no second job.
    func killThenRerun(_ tool: String, _ arguments: [String], input: (Scratch) throws -> String, count: Int, batchSeconds: String,
                       kill: (GeminiEmulator, [String], Scratch) throws -> Void, rerunSays expected: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", batchSeconds])
        defer { withExtendedLifetime(emulator) {} }
        scratch.write("categories.csv", CategorizeTests.categories)
        let inputName = tool == "gemini-describe" ? "in.txt" : "in.ndjson"
        scratch.write(inputName, try input(scratch))
        let all = emulator.arguments(.openai) + arguments.map { $0 == "CATEGORIES" ? scratch.file("categories.csv") : $0 }
            + ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("out.ndjson"), scratch.file(inputName)]
        try kill(emulator, all, scratch)
        #expect(scratch.lines("out.ndjson").isEmpty)
        let rerun = try ToolProcess.run(tool, all, environment: emulator.environment(.openai))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains(expected), "\(rerun.stderr)")
        let records = try byID(scratch.lines("out.ndjson"))
        #expect(records.count == count)
        #expect(records.values.allSatisfy { !$0.hasError })
        #expect(try emulator.stats()["batches_created"] as? Int == 1)
    }

    @Test func killNineWhilePollingThenRerunPollsTheSameJob() throws {
        for (tool, arguments, input) in Self.tools(count: 12) {
            try killThenRerun(tool, arguments, input: input, count: 12, batchSeconds: "4", kill: { emulator, arguments, scratch throws in
                #expect(try emulator.killWhilePolling(tool, arguments, scratch: scratch, face: .openai))
            }, rerunSays: "jobs from an earlier run")
        }
    }

    @Test func killNineRightAfterTheCreateThenRerunAdoptsTheJob() throws {
        for (tool, arguments, input) in Self.tools(count: 9) {
            try killThenRerun(tool, arguments, input: input, count: 9, batchSeconds: "0.5", kill: { emulator, arguments, scratch throws in
                #expect(try emulator.killWhileACreateIsHeld(tool, arguments, scratch: scratch, face: .openai))
                #expect(!scratch.read("out.ndjson.batch.json").contains("batch_1001"), "the kill came after the state write")
            }, rerunSays: "batch: adopting batch_1001")
        }
    }

    /// A server whose batch lines refuse json_schema (as some OpenAI-compatible servers do for
    /// some models): the refused requests go again in a second job of json_object requests, said
    /// once, and the records are the online run's (which falls back the same way). Then the same
    /// with a kill -9 while the second job's create is held: the rerun adopts it (2 jobs in all).
    @Test func linesRefusedForTheirJSONSchemaGoAgainAsJSONObjectInASecondJob() throws {
        for (tool, arguments, input) in Self.tools(count: 9) where tool != "embed" {
            let scratch = Scratch()
            defer { scratch.remove() }
            let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
            defer { withExtendedLifetime(emulator) {} }
            try emulator.configure(#"{"openai_json_schema": false}"#)
            scratch.write("categories.csv", CategorizeTests.categories)
            scratch.write("in.txt", try input(scratch))
            let common = emulator.arguments(.openai) + arguments.map { $0 == "CATEGORIES" ? scratch.file("categories.csv") : $0 }
            let online = try ToolProcess.run(tool, common + ["-o", scratch.file("online.ndjson"), scratch.file("in.txt")],
                                             environment: emulator.environment(.openai))
            #expect(online.status == 0, "\(online.stderr)")
            let batchArguments = common + ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("batch.ndjson"), scratch.file("in.txt")]
            let batch = try ToolProcess.run(tool, batchArguments, environment: emulator.environment(.openai))
            #expect(batch.status == 0, "\(batch.stderr)")
            #expect(batch.stderr.components(separatedBy: "refused response_format json_schema").count == 2, "\(tool): \(batch.stderr)")
            #expect(batch.stderr.contains("batch: created batch_1002"), "\(tool): \(batch.stderr)")
            let onlineRecords = try byID(scratch.lines("online.ndjson"))
            let batchRecords = try byID(scratch.lines("batch.ndjson"))
            #expect(batchRecords.count == 9 && batchRecords.values.allSatisfy { !$0.hasError }, "\(tool)")
            #expect(batchRecords == onlineRecords, "\(tool)")
            #expect(try emulator.stats()["batches_created"] as? Int == 2)
            #expect(!FileManager.default.fileExists(atPath: scratch.file("batch.ndjson.batch.json")))

            // Killed while the json_object job's create is held (created, its name not saved):
            // the rerun collects the first job again and adopts the second instead of a third.
            // (A new server: on this one the same requests would adopt the jobs above.)
            let fresh = try GeminiEmulator(["--batch-seconds", "0.2"])
            defer { withExtendedLifetime(fresh) {} }
            try fresh.configure(#"{"openai_json_schema": false}"#)
            let killedArguments = fresh.arguments(.openai) + arguments.map { $0 == "CATEGORIES" ? scratch.file("categories.csv") : $0 }
                + ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("killed.ndjson"), scratch.file("in.txt")]
            #expect(try fresh.killWhileACreateIsHeld(tool, killedArguments, answeredFirst: 1, scratch: scratch, face: .openai))
            let rerun = try ToolProcess.run(tool, killedArguments, environment: fresh.environment(.openai))
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(rerun.stderr.contains("batch: adopting batch_1002"), "\(tool): \(rerun.stderr)")
            // The same records but for the server's address.
            let killedRecords = try byID(scratch.lines("killed.ndjson")).mapValues { record in
                var record = record
                for key in ["endpoint", "category_endpoint"] where record[key] != nil {
                    record[key] = onlineRecords[record.id ?? ""]?[key]
                }
                return record
            }
            #expect(killedRecords == onlineRecords, "\(tool)")
            #expect(try fresh.stats()["batches_created"] as? Int == 2)
        }
    }

    /// A model that refuses json_schema, max_tokens and a temperature but its default (an OpenAI
    /// reasoning model behind a server without strict output): the first job's lines are refused
    /// for their json_schema, its follow-up's for max_tokens, the next one's for the temperature,
    /// the fourth asks with all three changed; each refusal said once, the records the online run
    /// writes (which switches the same three ways).
    @Test func linesRefusedForMaxTokensGoAgainWithMaxCompletionTokens() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }
        try emulator.configure(#"{"openai_json_schema": false, "openai_max_tokens": false, "openai_temperature": false}"#)
        let images = try makeTestImages(in: scratch.path, count: 5, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let online = try ToolProcess.run("gemini-describe", emulator.arguments(.openai) + ["-o", scratch.file("online.ndjson"), scratch.file("in.txt")],
                                         environment: emulator.environment(.openai))
        #expect(online.status == 0, "\(online.stderr)")
        let batch = try ToolProcess.run("gemini-describe", emulator.arguments(.openai)
                                            + ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("batch.ndjson"), scratch.file("in.txt")],
                                        environment: emulator.environment(.openai))
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.components(separatedBy: "refused response_format json_schema").count == 2, "\(batch.stderr)")
        #expect(batch.stderr.components(separatedBy: "refused max_tokens").count == 2, "\(batch.stderr)")
        #expect(batch.stderr.components(separatedBy: "refused the temperature").count == 2, "\(batch.stderr)")
        #expect(batch.stderr.contains("batch: created batch_1004"), "\(batch.stderr)")
        #expect(try emulator.stats()["batches_created"] as? Int == 4)
        let records = try byID(scratch.lines("batch.ndjson"))
        #expect(records.count == 5 && records.values.allSatisfy { !$0.hasError })
        #expect(records == (try byID(scratch.lines("online.ndjson"))))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("batch.ndjson.batch.json")))
    }

    @Test func failedLinesBecomeRetryableErrorRecordsAndARefusedCreateKeepsNothing() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2", "--faults", "500=0.4", "--seed", "3"])
        defer { withExtendedLifetime(emulator) {} }
        scratch.write("in.ndjson", EmbedTests.describedRecords(10))
        let arguments = emulator.arguments(.openai) + ["--dimensions", "8", "--batch", "--poll-seconds", "0.05",
                                                       "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        let result = try ToolProcess.run("embed", arguments, environment: emulator.environment(.openai))
        #expect(result.status == 0, "\(result.stderr)")
        let firstRecords = try byID(scratch.lines("out.ndjson"))
        #expect(firstRecords.count == 10)
        let failed = firstRecords.values.filter(\.hasError)
        // The error file's lines: retryable, naming the job and the server's words.
        #expect(!failed.isEmpty && failed.count < 10)
        #expect(failed.allSatisfy { $0.error?.code == "batch_item_failed" && $0.error?.retryable == true
            && $0.error?.message.contains("batch_1001: server_error") == true }, "\(failed.map { $0.error?.message ?? "" })")
        #expect(firstRecords.values.filter { !$0.hasError }.allSatisfy { $0["embedding"]?.arrayValue?.count == 8 })

        // A create refused with 429 (the enqueued-token limit) is not retried: the run stops
        // with one line, and nothing is in the output for the next run to skip.
        // (Other dimensions: other requests, so not the job above, which a rerun would adopt.)
        try emulator.configure(#"{"faults": "", "openai_batch_create_429": 1}"#)
        let again = emulator.arguments(.openai) + ["--dimensions", "4", "--batch", "--poll-seconds", "0.05",
                                                   "-o", scratch.file("again.ndjson"), scratch.file("in.ndjson")]
        let refused = try ToolProcess.run("embed", again, environment: emulator.environment(.openai))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("Enqueued token limit reached"), "\(refused.stderr)")
        #expect(scratch.lines("again.ndjson").isEmpty)
        #expect(try emulator.stats()["batches_created"] as? Int == 1)
        let rerun = try ToolProcess.run("embed", again, environment: emulator.environment(.openai))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let records = try byID(scratch.lines("again.ndjson"))
        #expect(records.count == 10 && records.values.allSatisfy { !$0.hasError && $0["embedding"]?.arrayValue?.count == 4 })
        #expect(try emulator.stats()["batches_created"] as? Int == 2)
    }

    @Test func anExpiredBatchKeepsItsAnswersAndTheRerunSendsTheRest() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }
        try emulator.configure(#"{"batch_outcome": "EXPIRED"}"#)
        scratch.write("in.ndjson", EmbedTests.describedRecords(10))
        let arguments = emulator.arguments(.openai) + ["--dimensions", "8", "--batch", "--poll-seconds", "0.05",
                                                       "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        let expired = try ToolProcess.run("embed", arguments, environment: emulator.environment(.openai))
        #expect(expired.status == 0, "\(expired.stderr)")
        #expect(expired.stderr.contains("batch_1001 EXPIRED (10 requests, 5 ok, 5 failed)"), "\(expired.stderr)")
        let first = try byID(scratch.lines("out.ndjson"))
        #expect(first.count == 10 && first.values.filter { !$0.hasError }.count == 5)
        #expect(first.values.filter(\.hasError).allSatisfy {
            $0.error?.code == "batch_item_failed" && $0.error?.retryable == true && $0.error?.message.contains("batch_expired") == true
        })
        // The rerun sends only the 5 that expired, in a second job; every id then has its vector.
        try emulator.configure(#"{"batch_outcome": null}"#)
        let rerun = try ToolProcess.run("embed", arguments, environment: emulator.environment(.openai))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("uploading 5 requests"), "\(rerun.stderr)")
        let records = try byID(scratch.lines("out.ndjson"))
        #expect(records.count == 10 && records.values.allSatisfy { !$0.hasError && $0["embedding"]?.arrayValue?.count == 8 })
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 2 && stats["batch_lines"] as? Int == 10)
    }
}
