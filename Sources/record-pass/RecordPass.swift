// record-pass: the smallest tool built on ToolSupport. It passes records through, adding one
// field, with every shared convention (-o resume, --shard, signals, bad lines, summary).
// The end-to-end tests drive it to check those conventions in a real process; it is also the
// template a new tool starts from.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Records
import ToolSupport

@main
struct RecordPass: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-pass",
        abstract: "Pass records through, adding a field (test fixture for the shared tool conventions).",
        discussion: """
        Examples:
          record-pass --set stage=seen < in.ndjson > out.ndjson
          record-pass --fail-id x3 -o out.ndjson in.ndjson
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Field to add, as KEY=VALUE (a string).", valueName: "KEY=VALUE"))
    var set: String = "passed=yes"
    @Option(help: "Milliseconds of simulated work per record.") var delayMs: Int = 0
    @Option(help: "Mark records with this id as failed (code test_failure).") var failId: [String] = []
    @Flag(help: "Treat lines that are not JSON as paths: id = file name without extension (the record contract's rule).") var text = false
    @Argument(help: "Record files (stdin when none).") var inputs: [String] = []

    func validate() throws {
        guard set.split(separator: "=", maxSplits: 1).count == 2 else { throw ValidationError("--set needs KEY=VALUE") }
        try ToolRun.checkReadable(inputs)
    }

    func run() throws {
        let parts = set.split(separator: "=", maxSplits: 1).map(String.init)
        try ToolMain.run(tool: "record-pass") {
            let run = try ToolRun(tool: "record-pass", options: common, inputs: inputs, acceptsText: text)
            run.recordFromText = { line in ["path": .string(line)] }
            run.idSource = ToolRun.idFromPath
            return try run.processSequentially { record in
                var record = record
                if delayMs > 0 { usleep(UInt32(delayMs) * 1000) }
                if let id = record.id, failId.contains(id) {
                    record.setError(RecordError(stage: "record-pass", code: "test_failure",
                                                message: "\(id): failed on request", retryable: true))
                } else {
                    record[parts[0]] = .string(parts[1])
                }
                return record
            }
        }
    }
}
