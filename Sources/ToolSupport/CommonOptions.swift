// CommonOptions: the flags every tool shares, declared once and mixed into each command with
// @OptionGroup, so `--shard`, `-o` and friends mean the same everywhere (with GeneralOptions,
// which tools that write no records, such as plotdist, take alone).
import ArgumentParser
import Records

/// Flags shared by every tool.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write records to FILE and resume from it: ids already in FILE without an error are skipped, new records are appended.", valueName: "FILE"))
    public var output: String?

    @Option(help: ArgumentHelp("Process only shard K of N (0 ≤ K < N), chosen by a stable hash of the record id; env/N takes K from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX.", valueName: "K/N"),
            transform: { text in try Shard(parsing: text, environment: environmentValue) })
    public var shard: Shard?

    @Flag(help: "Exit with status 3 if any record ends with an error.")
    public var strict = false

    @Flag(help: "With -o: keep earlier error records instead of retrying their ids.")
    public var noRetryErrors = false

    @OptionGroup public var general: GeneralOptions

    public init() {}
}

