// merge-shards: joins the outputs of a stage's N shards into the one file the stage would have
// written, in the input's order, refusing when anything is missing or repeated.
import ArgumentParser
import Posix
import Records
import ToolSupport

@main
struct MergeShards: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-shards",
        abstract: "Join the shard outputs of one stage (--shard K/N, one -o file each) into one file, in the input's order.",
        discussion: """
        Every record of INPUT gets the one output record a shard wrote for it, in INPUT's order; \
        the bytes of each are copied unchanged. The merge refuses (status 1, one line naming the \
        file and line, nothing written under the output's name) when a shard file is missing or \
        its last line is cut, when an input record has no output record, or when an output record \
        is repeated, not from INPUT, or in another shard's file. Memory: 16 bytes a record.

        Examples:
          merge-shards work/REAL/fetched.ndjson --shards 4 -o work/REAL/resized.ndjson
          merge-shards listed.ndjson fetched.0-of-2.ndjson fetched.1-of-2.ndjson -o fetched.ndjson
        """)

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged records to FILE (replaced when complete) instead of stdout.", valueName: "FILE"))
    var output: String?
    @Option(help: ArgumentHelp("Merge OUTPUT's N shard files, OUTPUT with .K-of-N before its extension (K = 0…N-1).", valueName: "N"))
    var shards: Int?
    @Flag(name: .shortAndLong, help: "No summary line.") var quiet = false
    @Argument(help: "The stage's input (the records the shards were given).") var input: String
    @Argument(help: "The shards' output files (or --shards N with -o).") var shardFiles: [String] = []

    func validate() throws {
        if let shards {
            guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
            guard output != nil else { throw ValidationError("--shards needs -o (the shard files are named from it)") }
            guard shardFiles.isEmpty else { throw ValidationError("give shard files or --shards N, not both") }
        } else if shardFiles.isEmpty {
            throw ValidationError("no shard files: name them, or give --shards N with -o")
        }
        try ToolRun.checkReadable([input])
    }

    func run() throws {
        try ToolMain.run(tool: "merge-shards") {
            let started = monotonicSeconds()
            let files = try shards.map { try ShardMerge.shardPaths(of: output ?? "", count: $0) } ?? shardFiles
            let merge = ShardMerge(input: input, shardFiles: files)
            let summary = try OutputFile.write(to: output) { writer in try merge.run(into: writer) }
            if !quiet {
                StandardError.shared.printLine("merge-shards: \(summary.records) records (\(summary.errorRecords) with an error) "
                    + "from \(summary.shards) shards\(output.map { " → " + $0 } ?? "") in the order of \(input) — "
                    + Format.duration(monotonicSeconds() - started))
            }
            return ExitStatus.success
        }
    }
}
