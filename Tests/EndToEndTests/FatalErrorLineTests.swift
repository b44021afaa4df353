// Every way a real tool can fail for good prints exactly one line `TOOL: error: …` on stderr and
// the documented status (1 fatal, 2 usage), whatever the error's type: the tool's own, the
// argument parser's, the config reader's, or a system call's.
import Foundation
import Testing

@Suite struct FatalErrorLineTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var tool: String
        var arguments: [String]
        var status: Int32
        /// Text the one line must contain (the message names what to fix).
        var mentions: String
        var testDescription: String { "\(tool) \(arguments.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        // Usage: the argument parser's errors, without its multi-line usage block.
        Case(tool: "record-pass", arguments: ["--bogus-flag"], status: 2, mentions: "--bogus-flag"),
        Case(tool: "gemini-describe", arguments: ["--concurrency", "many"], status: 2, mentions: "many"),
        Case(tool: "img-resize", arguments: ["--shard", "9/2"], status: 2, mentions: "9/2"),
        Case(tool: "s3fetch", arguments: ["--concurrency", "0"], status: 2, mentions: "--concurrency"),
        Case(tool: "s3ls", arguments: [], status: 2, mentions: "bucket"),
        Case(tool: "plotdist", arguments: ["--definitely-not-an-option"], status: 2, mentions: "--definitely-not-an-option"),
        // Fatal: unreadable or broken config, unreadable input, an output that cannot be written.
        Case(tool: "record-pass", arguments: ["--config", "/nonexistent/config.yaml"], status: 1, mentions: "/nonexistent/config.yaml"),
        Case(tool: "categorize", arguments: ["--config", "CONFIG_BAD_YAML"], status: 1, mentions: "not valid YAML"),
        Case(tool: "record-pass", arguments: ["/nonexistent/input.ndjson"], status: 1, mentions: "/nonexistent/input.ndjson"),
        Case(tool: "record-pass", arguments: ["-o", "/nonexistent-dir/out.ndjson", "INPUT"], status: 1, mentions: "/nonexistent-dir/out.ndjson"),
        Case(tool: "record-pass", arguments: ["-o", "/tmp", "INPUT"], status: 1, mentions: "/tmp is not a regular file"),
        Case(tool: "record-pass", arguments: ["-o", "/dev/full", "INPUT"], status: 1, mentions: "/dev/full is not a regular file"),
    ]

    @Test(arguments: cases) func failsWithOneErrorLineAndItsStatus(_ failure: Case) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Multi-line YAML errors (Yams reports the line, the text and a caret) must still be one line.
        scratch.write("bad.yaml", "gemini:\n  rpm: [1, 2\n  tpm: {\n")
        scratch.write("in.ndjson", (0..<3).map { #"{"id":"r\#($0)"}"# }.joined(separator: "\n") + "\n")
        let arguments = failure.arguments.map { $0 == "CONFIG_BAD_YAML" ? scratch.file("bad.yaml") : $0 == "INPUT" ? scratch.file("in.ndjson") : $0 }
        // A deadline: `-o /dev/full` once read an endless journal.
        let result = try ToolProcess.run(failure.tool, arguments, in: scratch,
                                         environment: ["GEMINI_API_KEY": "k", "GOOGLE_API_KEY": ""], deadline: 60)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(result.status == failure.status, "\(result.stderr)")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("\(failure.tool): error: ") == true, "\(result.stderr)")
        #expect(lines.first?.contains(failure.mentions) == true, "\(result.stderr)")
        #expect(!result.stderr.contains("Usage:"))
    }

    /// stdout on a full disk (/dev/full answers every write with ENOSPC): a few records sit in the
    /// buffer until the tool flushes before reading on, and that failed write must end the run.
    @Test(arguments: [2, 20_000]) func aFullDiskOnStdoutIsFatal(records: Int) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("in.ndjson", (0..<records).map { #"{"id":"r\#($0)"}"# }.joined(separator: "\n") + "\n")
        let pid = try TestSupport.spawn([ToolProcess.path("record-pass"), scratch.file("in.ndjson")], stdoutPath: "/dev/full",
                                        stderrPath: scratch.file("err"), environment: nil)
        #expect(TestSupport.wait(pid) == 1)
        let lines = scratch.lines("err")
        #expect(lines == ["record-pass: error: cannot write output: stdout: write failed: No space left on device"])
    }

    @Test func helpStillGoesToStdoutWithStatusZero() throws {
        let result = try ToolProcess.run("s3fetch", ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE:"))
        #expect(result.stderr.isEmpty)
    }
}
