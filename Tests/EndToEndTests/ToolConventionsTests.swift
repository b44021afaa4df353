// The shared conventions in real processes: help texts, bad lines, exit codes, -o resume after
// kill -9, signals, sharding. record-pass is the smallest tool built on ToolSupport.
import Foundation
import Testing
import Records
import TestUtilities

@Suite struct ToolConventionsTests {
    static let tools = ["s3ls", "s3fetch", "img-resize", "gemini-describe", "categorize", "plotdist", "cluster"]

    @Test(arguments: tools)
    func everyToolPrintsRealHelp(tool: String) throws {
        let result = try ToolProcess.run(tool, ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: \(tool)"))
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("OPTIONS:"))
    }

    @Test func badLinesBecomeErrorRecordsAndTheRunGoesOn() throws {
        let input = "{\"id\":\"a\"}\nnot json\n[1]\n\n{\"id\":\"b\"}\n{\"name\":\"no id\"}\n"
        let result = try ToolProcess.run("record-pass", [], input: input)
        #expect(result.status == 0)
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.count == 6)
        #expect(records.compactMap(\.id) == ["a", "b"])
        let failures = records.filter(\.hasError)
        #expect(failures.map { $0["line"]?.intValue } == [2, 3, 4, 6])
        #expect(failures.allSatisfy { $0.error?.code == "bad_input" && $0.error?.message.hasPrefix("stdin:") == true })
        #expect(result.stderr.contains("record-pass: warning: stdin:2: "))
        #expect(result.stderr.contains("record-pass: 2 ok, 4 failed (4 bad_input)"))
    }

    @Test func upstreamErrorsPassThroughUntouched() throws {
        let failed = #"{"id":"z","key":"k","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}"#
        let result = try ToolProcess.run("record-pass", [], input: failed + "\n{\"id\":\"y\"}\n")
        #expect(result.stdoutLines == [failed, #"{"id":"y","passed":"yes"}"#])
        #expect(result.stderr.contains("1 upstream errors passed on"))
    }

    @Test func logFileHoldsTheSummaryAndEveryErrorRecordStderrOnlyTheSummary() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let upstream = #"{"id":"z","key":"k","error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}"#
        let log = scratch.file("run.log")
        // -q as the Makefile's TOOL_FLAGS=-q: the file still gets its lines.
        let result = try ToolProcess.run("record-pass", ["-q", "--fail-id", "x1", "--log-file", log], input: upstream + "\n" + inputRecords(3))
        #expect(result.status == 0)
        let lines = scratch.lines("run.log")
        #expect(lines.contains { $0.contains("failed x1: test_failure: x1: failed on request") }, "\(lines)")
        #expect(lines.contains { $0.contains("passed on z: not_found: gone") }, "\(lines)")
        #expect(lines.contains { $0.contains("record-pass: 2 ok, 1 failed (1 test_failure), 1 upstream errors passed on") }, "\(lines)")
        #expect(!lines.contains { $0.contains("x0") || $0.contains("x2") }, "ok records make no line: \(lines)")
        #expect(!result.stderr.contains("failed x1") && !result.stderr.contains("passed on z"), "\(result.stderr)")
    }

    @Test func aRunInWhichEveryRecordFailedSaysSoLoudly() throws {
        let loud = "record-pass: WARNING: ALL 2 RECORDS FAILED"
        let all = try ToolProcess.run("record-pass", ["-q", "--fail-id", "x0", "--fail-id", "x1"], input: inputRecords(2))
        #expect(all.status == 0 && all.stderr.contains(loud), "\(all.stderr)")
        let upstream = #"{"id":"z","key":"k","error":{"stage":"s3ls","code":"not_found","message":"gone","retryable":false}}"#
        let passedOn = try ToolProcess.run("record-pass", ["--fail-id", "x0"], input: upstream + "\n" + inputRecords(1))
        #expect(passedOn.stderr.contains(loud), "\(passedOn.stderr)")
        let one = try ToolProcess.run("record-pass", ["--fail-id", "x0"], input: inputRecords(2))
        #expect(!one.stderr.contains("WARNING: ALL"), "\(one.stderr)")
        let strict = try ToolProcess.run("record-pass", ["--strict", "--fail-id", "x0", "--fail-id", "x1"], input: inputRecords(2))
        #expect(strict.status == 3 && strict.stderr.contains(loud))
    }

    @Test func aMissingFileIsReportedBeforeMissingCredentialsOrKey() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Nothing configured: no AWS credentials, no Gemini key.
        let nothing = PipelineSupport.cleanEnvironment(home: scratch.path).merging(["AWS_EC2_METADATA_DISABLED": "true"]) { $1 }
        let s3ls = try PipelineSupport.run(ToolProcess.path("s3ls"), ["s3://lake/GEN/", scratch.file("missing.csv")], in: scratch.path,
                                           environment: nothing, log: scratch.file("s3ls.log"))
        #expect(s3ls.status == 1 && s3ls.output.contains("cannot read input \(scratch.file("missing.csv"))"), "\(s3ls.output)")
        #expect(!s3ls.output.lowercased().contains("credential"), "\(s3ls.output)")
        scratch.write("described.ndjson", #"{"id":"a","summary":"a dog"}"# + "\n")
        let categorize = try PipelineSupport.run(ToolProcess.path("categorize"), ["--categories", scratch.file("missing.csv"), scratch.file("described.ndjson")],
                                                 in: scratch.path, environment: nothing, log: scratch.file("categorize.log"))
        #expect(categorize.status == 1 && categorize.output.contains("cannot read categories"), "\(categorize.output)")
        #expect(!categorize.output.lowercased().contains("key"), "\(categorize.output)")
    }

    @Test func strictTurnsErrorRecordsIntoExitStatusThree() throws {
        let input = inputRecords(3)
        #expect(try ToolProcess.run("record-pass", ["--fail-id", "x1"], input: input).status == 0)
        let strict = try ToolProcess.run("record-pass", ["--strict", "--fail-id", "x1"], input: input)
        #expect(strict.status == 3)
        #expect(strict.stdoutLines.count == 3)
    }

    @Test func usageErrorsExitTwoAndMissingInputExitsOne() throws {
        let usage = try ToolProcess.run("record-pass", ["--shard", "9/2"])
        #expect(usage.status == 2)
        let missing = try ToolProcess.run("record-pass", ["/nonexistent/input.ndjson"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("record-pass: error: cannot read input /nonexistent/input.ndjson"))
    }

    @Test func resumeAfterKillNineGivesEveryIDExactlyOnce() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let output = scratch.file("out.ndjson")
        let process = try signalSlowRun(scratch, records: 300, delayMs: 3, afterLines: 30, signal: SIGKILL)
        #expect(process.terminationReason == .uncaughtSignal)
        let partial = scratch.lines("out.ndjson").count
        #expect(partial < 300, "killed before the end")

        let rerun = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("skipped (already done)"))
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == (0..<300).map { "x\($0)" }.sorted())
        #expect(records.allSatisfy { $0["passed"]?.stringValue == "yes" })
    }

    /// make run again while the killed make's tool still writes (an orphan keeps running after
    /// kill -9 of its parent): the second run on the same -o is refused at once, the first one
    /// finishes, and every id is in the file once.
    @Test(.timeLimit(.minutes(2)))
    func aSecondRunOnTheSameOutputIsRefusedWhileTheFirstWrites() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let output = scratch.file("out.ndjson")
        // The first run reads a FIFO the test holds open, so it is alive for as long as the test says.
        let fifo = scratch.file("input.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Close-on-exec: no other test's child may hold the write end (the first run would never end).
        let writer = open(fifo, O_RDWR | O_CLOEXEC)
        try #require(writer >= 0)
        var writerOpen = true
        defer { if writerOpen { close(writer) } }
        let feed = { (ids: Range<Int>) in
            let text = ids.map { "{\"id\":\"x\($0)\"}\n" }.joined()
            _ = text.withCString { write(writer, $0, strlen($0)) }
        }
        feed(0..<5)
        let first = try ToolProcess.start("record-pass", ["-o", output], stdinFile: fifo, stdoutFile: scratch.file("stdout"),
                                          stderrFile: scratch.file("stderr"))
        try #require(waitUntil { scratch.lines("out.ndjson").count == 5 }, "the first run wrote its records")

        for tool in ["img-resize", "record-pass"] {
            let second = try ToolProcess.run(tool, ["-o", output, "/dev/null"])
            #expect(second.status != 0)
            #expect(second.stderr == "\(tool): error: cannot open output \(output): another run is writing \(output) now "
                    + "(it holds \(scratch.file(".out.ndjson.lock"))); let it finish or stop it, then run again\n")
        }
        #expect(first.isRunning)
        feed(5..<10)
        close(writer)
        writerOpen = false
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(scratch.read("stderr"))")
        expectUniqueIDs(try #require(parseRecords(scratch.lines("out.ndjson"))), count: 10)
        #expect(!FileManager.default.fileExists(atPath: scratch.file(".out.ndjson.lock")), "the lock goes with its run")
        let rerun = try ToolProcess.run("record-pass", ["-o", output], input: "{\"id\":\"x3\"}\n{\"id\":\"x10\"}\n")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        expectUniqueIDs(try #require(parseRecords(scratch.lines("out.ndjson"))), count: 11)
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalFinishesTheRecordInHandAndExitsWithItsStatus(signal: Int32, status: Int32) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let output = scratch.file("out.ndjson")
        let process = try signalSlowRun(scratch, records: 500, delayMs: 10, afterLines: 5, signal: signal)
        #expect(process.terminationStatus == status)
        #expect(scratch.read("stderr").contains("stopped by signal; rerun with the same -o to resume"))
        // Every line written is whole, and the rerun completes the set without repeats.
        let firstRun = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(firstRun.count < 500)
        #expect(scratch.read("out.ndjson").hasSuffix("\n"))
        let rerun = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
        #expect(rerun.status == 0)
        expectUniqueIDs(try #require(parseRecords(scratch.lines("out.ndjson"))), count: 500)
    }

    @Test func errorRecordsAreRetriedOnTheNextRunUnlessToldNotTo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("in.ndjson", inputRecords(4))
        let output = scratch.file("out.ndjson")
        _ = try ToolProcess.run("record-pass", ["--fail-id", "x2", "-o", output, scratch.file("in.ndjson")])
        #expect(scratch.lines("out.ndjson").filter { $0.contains("test_failure") }.count == 1)

        let kept = try ToolProcess.run("record-pass", ["--no-retry-errors", "-o", output, scratch.file("in.ndjson")])
        #expect(kept.stderr.contains("0 ok"))
        #expect(scratch.lines("out.ndjson").count == 4)

        let retried = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
        #expect(retried.stderr.contains("1 ok"))
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.count == 4)
        #expect(records.filter(\.hasError).isEmpty)
        #expect(Set(records.compactMap(\.id)) == ["x0", "x1", "x2", "x3"])
    }

    @Test func shardsOfARunPartitionTheInput() throws {
        let input = inputRecords(1000)
        var union: [String] = []
        for k in 0..<3 {
            let result = try ToolProcess.run("record-pass", ["--shard", "\(k)/3"], input: input)
            #expect(result.status == 0)
            let ids = try #require(parseRecords(result.stdoutLines)).compactMap(\.id)
            #expect(ids.count > 250 && ids.count < 420)
            union += ids
        }
        #expect(union.count == 1000)
        #expect(Set(union) == Set((0..<1000).map { "x\($0)" }))
    }

    @Test func quietRunPrintsOnlyWarningsAndTheSummary() throws {
        let result = try ToolProcess.run("record-pass", ["-q"], input: inputRecords(3) + "oops\n")
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 4)
        #expect(result.stderr.split(separator: "\n").count == 2)
        #expect(result.stderr.contains("record-pass: 3 ok, 1 failed (1 bad_input)"))
    }

    @Test func plainPathsBecomeRecordsWhenTheToolAcceptsText() throws {
        let result = try ToolProcess.run("record-pass", ["--text"], input: "photos/a.jpg\n\nb.png\n")
        #expect(result.stdoutLines == [#"{"id":"a","path":"photos/a.jpg","passed":"yes"}"#, #"{"id":"b","path":"b.png","passed":"yes"}"#])
    }

    @Test func configFileIsReadAndUnknownKeysWarned() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("config.yaml", "caption_model: gemini-2.5-flash-lite\nprocesing:\n  image_max_size: 512\n")
        let result = try ToolProcess.run("record-pass", [], input: inputRecords(1), directory: scratch.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("config.yaml: unknown setting 'procesing.image_max_size' ignored"))
        let broken = try ToolProcess.run("record-pass", ["--config", scratch.file("missing.yaml")], input: "")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("cannot read config file"))
    }

    /// Starts a slow run, sends `signal` once `afterLines` records are in out.ndjson, and
    /// waits for the process to end.
    private func signalSlowRun(_ scratch: Scratch, records: Int, delayMs: Int, afterLines: Int, signal: Int32,
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> Process {
        let process = try startSlowRun(scratch, records: records, delayMs: delayMs)
        let started = waitUntil { scratch.lines("out.ndjson").count >= afterLines }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(started, "\(afterLines) records written before the signal", sourceLocation: sourceLocation)
        return process
    }

    /// Starts record-pass in the background on `records` inputs, writing to out.ndjson with -o.
    private func startSlowRun(_ scratch: Scratch, records: Int, delayMs: Int) throws -> Process {
        scratch.write("in.ndjson", inputRecords(records))
        return try ToolProcess.start(
            "record-pass", ["--delay-ms", "\(delayMs)", "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")],
            stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"))
    }
}
