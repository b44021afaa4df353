// gemini-describe --batch against the emulator's Batch Mode: jobs of --batch-size requests
// uploaded through the Files API, polled, results matched by key (the emulator shuffles them);
// kill -9 while polling and a rerun polls the same jobs (never a second create); kill -9 after
// the create but before the state file names the job and a rerun adopts it from the batches
// list by its display name; failed or expired jobs give retryable error records that a rerun
// turns into answers.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct GeminiBatchTests {
    func files(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    @Test func everyImageIsDescribedInJobsOfBatchSize() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.3", "--faults", "500=0.2,503=0.1", "--seed", "5"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 7, baseWidth: 80)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let output = scratch.file("out.ndjson")
        let result = try ToolProcess.run("gemini-describe", ["--batch", "--batch-size", "3", "--poll-seconds", "0.05", "-o", output,
                                                             scratch.file("in.txt")], environment: emulator.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == (0..<7).map { String(format: "img%03d", $0) })
        var answered = 0
        for record in records {
            if let error = record.error {
                #expect(error.code == "batch_item_failed" && error.retryable, "\(error)")
            } else {
                // Each answer is the one for this record's own image (keys matched, not order).
                let index = Int(record.id!.dropFirst(3))!
                #expect(record["summary"]?.stringValue?.contains("(\(80 + 37 * index)x\(40 + 23 * index) pixels)") == true,
                        "\(record["summary"]?.stringValue ?? "")")
                #expect(record["usage"]?["input_tokens"]?.intValue ?? 0 > 0)
                answered += 1
            }
        }
        #expect(answered >= 3)
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 3)
        #expect(stats["batches_inline"] as? Int == 3)  // a few small images: inline requests, no upload
        #expect(stats["files_uploaded"] as? Int == 0)
        #expect(stats["generate_content"] as? Int == 0)
        #expect(result.stderr.contains("Batch Mode: cost $") && result.stderr.contains("at $0.05/$0.20 per 1M"), "\(result.stderr)")
        // Done: no state file, no spool left beside the output.
        #expect(files(in: scratch.path).filter { $0.hasPrefix("out.ndjson.") }.isEmpty, "\(files(in: scratch.path))")
    }

    @Test func killNineWhilePollingThenRerunPollsTheSameJob() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "4"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 6, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let output = scratch.file("out.ndjson")
        let arguments = ["--batch", "--poll-seconds", "0.05", "-o", output, scratch.file("in.txt")]
        #expect(try emulator.killWhilePolling("gemini-describe", arguments, scratch: scratch))
        #expect(scratch.lines("out.ndjson").isEmpty)
        let rerun = try ToolProcess.run("gemini-describe", arguments, environment: emulator.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("jobs from an earlier run"))
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 6)
        #expect(Set(records.compactMap(\.id)).count == 6)
        #expect(records.allSatisfy { !$0.hasError })
        #expect(try emulator.stats()["batches_created"] as? Int == 1)
    }

    /// Kills gemini-describe while its create is held; then no state names a job.
    func killRightAfterTheCreate(_ arguments: [String], emulator: GeminiEmulator, scratch: Scratch) throws {
        #expect(try emulator.killWhileACreateIsHeld("gemini-describe", arguments, scratch: scratch))
        #expect(!scratch.read("out.ndjson.batch.json").contains("batches/"), "the kill came after the state write")
        #expect(scratch.lines("out.ndjson").isEmpty)
    }

    @Test func killNineBetweenCreateAndStateWriteThenRerunAdoptsTheJob() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.5"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 5, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let arguments = ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("out.ndjson"), scratch.file("in.txt")]
        try killRightAfterTheCreate(arguments, emulator: emulator, scratch: scratch)
        // Newer jobs of other input, and pages of one job: the rerun must page to find its own.
        try FileManager.default.createDirectory(atPath: scratch.file("others"), withIntermediateDirectories: true)
        let others = try makeTestImages(in: scratch.file("others"), count: 3, baseWidth: 90)
        scratch.write("others.txt", others.joined(separator: "\n") + "\n")
        let other = try ToolProcess.run("gemini-describe", ["--batch", "--batch-size", "1", "--poll-seconds", "0.05",
                                                            "-o", scratch.file("others.ndjson"), scratch.file("others.txt")],
                                        environment: emulator.environment)
        #expect(other.status == 0, "\(other.stderr)")
        #expect(try emulator.stats()["batches_created"] as? Int == 4)
        try emulator.configure(#"{"batch_page_max": 1}"#)
        let rerun = try ToolProcess.run("gemini-describe", arguments, environment: emulator.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("batch: adopting batches/1001"), "\(rerun.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == (0..<5).map { String(format: "img%03d", $0) })
        #expect(records.allSatisfy { !$0.hasError })
        for record in records {  // each answer is its own image's (the adopted job's keys match this chunk)
            let index = Int(record.id!.dropFirst(3))!
            #expect(record["summary"]?.stringValue?.contains("(\(64 + 37 * index)x\(32 + 23 * index) pixels)") == true)
        }
        let stats = try emulator.stats()
        #expect(stats["batches_created"] as? Int == 4)  // this input's one job, and the 3 others
        #expect(stats["batch_lists"] as? Int ?? 0 >= 4)  // paged through the 4 jobs one by one
        #expect(files(in: scratch.path).filter { $0.hasPrefix("out.ndjson.") }.isEmpty, "\(files(in: scratch.path))")
    }

    @Test func aFailedJobOfTheSameInputIsNotAdopted() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Jobs end at their first poll or listing: the killed one is FAILED when the rerun lists.
        let emulator = try GeminiEmulator(["--batch-seconds", "0"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let images = try makeTestImages(in: scratch.path, count: 3, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let arguments = ["--batch", "--poll-seconds", "0.05", "-o", scratch.file("out.ndjson"), scratch.file("in.txt")]
        try emulator.configure(#"{"batch_outcome": "FAILED"}"#)
        try killRightAfterTheCreate(arguments, emulator: emulator, scratch: scratch)
        try emulator.configure(#"{"batch_outcome": null}"#)
        let rerun = try ToolProcess.run("gemini-describe", arguments, environment: emulator.environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(!rerun.stderr.contains("adopting"), "\(rerun.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 3 && Set(records.compactMap(\.id)).count == 3)
        #expect(records.allSatisfy { !$0.hasError })
        #expect(try emulator.stats()["batches_created"] as? Int == 2)
    }

    @Test func aGatewayWithoutTheBatchesListStillGetsItsJobsWithAWarning() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        try emulator.configure(#"{"batch_list_404": true}"#)
        let images = try makeTestImages(in: scratch.path, count: 4, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let result = try ToolProcess.run("gemini-describe", ["--batch", "--batch-size", "2", "--poll-seconds", "0.05",
                                                             "-o", scratch.file("out.ndjson"), scratch.file("in.txt")],
                                         environment: emulator.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "cannot list the batches").count == 2, "\(result.stderr)")  // warned once
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 4 && Set(records.compactMap(\.id)).count == 4 && records.allSatisfy { !$0.hasError })
        #expect(try emulator.stats()["batches_created"] as? Int == 2)
    }

    @Test(arguments: ["EXPIRED", "FAILED"])
    func anUnfinishedJobGivesRetryableErrorsThatARerunAnswers(outcome: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--batch-seconds", "0.2"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        try emulator.configure(#"{"batch_outcome": "\#(outcome)"}"#)
        let images = try makeTestImages(in: scratch.path, count: 4, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        let output = scratch.file("out.ndjson")
        let arguments = ["--batch", "--poll-seconds", "0.05", "-o", output, scratch.file("in.txt")]
        let first = try ToolProcess.run("gemini-describe", arguments, environment: emulator.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let failed = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(failed.count == 4)
        #expect(failed.allSatisfy { $0.error?.code == "batch_\(outcome.lowercased())" && $0.error?.retryable == true })
        try emulator.configure(#"{"batch_outcome": null}"#)
        let second = try ToolProcess.run("gemini-describe", arguments, environment: emulator.environment)
        #expect(second.status == 0, "\(second.stderr)")
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 4)
        #expect(Set(records.compactMap(\.id)).count == 4)
        #expect(records.allSatisfy { !$0.hasError })
        #expect(try emulator.stats()["batches_created"] as? Int == 2)
    }

    @Test func batchNeedsAPlaceForItsJobNames() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try ToolProcess.run("gemini-describe", ["--batch"], input: "a.jpg\n", environment: emulator.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--batch needs -o FILE or --batch-state FILE"))
        #expect(try emulator.stats()["batches_created"] as? Int == 0)
    }
}
