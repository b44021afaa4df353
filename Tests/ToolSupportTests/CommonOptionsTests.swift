// The shared flags parse the same way in every tool.
import Testing
import Records
@testable import ToolSupport

@Suite struct CommonOptionsTests {
    @Test func sharedFlagsParse() throws {
        let options = try CommonOptions.parse(["-o", "out.ndjson", "--shard", "2/5", "--strict", "-q", "--no-retry-errors", "--log-file", "run.log"])
        #expect(options.output == "out.ndjson")
        #expect(options.shard == (try Shard(index: 2, count: 5)))
        #expect(options.strict)
        #expect(options.general.quiet)
        #expect(options.noRetryErrors)
        #expect(options.general.logFile == "run.log")
        #expect(options.general.config == nil)
    }

    @Test func invalidShardIsAUsageError() {
        #expect(throws: (any Error).self) { _ = try CommonOptions.parse(["--shard", "5/5"]) }
        #expect(throws: (any Error).self) { _ = try CommonOptions.parse(["--shard", "x"]) }
    }
}

@Suite struct ProgressAndSummaryTests {
    @Test func summaryLineCountsEveryOutcome() {
        let counters = RunCounters()
        counters.recordOK(10)
        counters.recordFailure(code: "corrupt")
        counters.recordFailure(code: "corrupt")
        counters.recordFailure(code: "too_large")
        counters.recordSkipped(4)
        counters.recordPassedThrough()
        let line = counters.summary(tool: "img-resize")
        #expect(line.hasPrefix("img-resize: 10 ok, 3 failed (2 corrupt, 1 too_large), 4 skipped (already done), 1 upstream errors passed on — "))
        #expect(line.hasSuffix("/s"))
    }

    @Test func progressTextShowsTotalRateETAAndFailures() {
        var snapshot = RunCounters.Snapshot()
        snapshot.ok = 90
        snapshot.failed = 10
        snapshot.total = 400
        let text = ProgressReporter.describe(snapshot, elapsed: 10, width: 0)
        #expect(text == "100/400 25% 10.0/s ETA 30.0 s, 10 failed")
        let bar = ProgressReporter.describe(snapshot, elapsed: 10, width: 100)
        #expect(bar.hasPrefix("[#######"))
        snapshot.total = nil
        #expect(ProgressReporter.describe(snapshot, elapsed: 10, width: 100) == "100 done, 10.0/s, 10 failed")
    }

    @Test(arguments: [
        (0.04, 1, "0.0"), (2.25, 1, "2.3"), (-1.5, 0, "-2"), (99.999, 2, "100.00"), (3.0, 3, "3.000"),
    ])
    func fixedFormatting(value: Double, digits: Int, expected: String) {
        #expect(Format.fixed(value, digits) == expected)
    }

    @Test func durationsAndSizesReadNaturally() {
        #expect(Format.duration(12.34) == "12.3 s")
        #expect(Format.duration(125) == "2m05s")
        #expect(Format.duration(7380) == "2h03m")
        #expect(Format.bytes(999) == "999 B")
        #expect(Format.bytes(1_839_203) == "1.8 MB")
    }
}
