// BatchModeOptions: the --batch flags of the tools that can use Gemini Batch Mode
// (gemini-describe, categorize, embed), declared once so they mean the same in each.
import ArgumentParser

public struct BatchModeOptions: ParsableArguments {
    @Flag(help: "Use Batch Mode (half price, results within 24 h); needs -o or --batch-state.")
    public var batch = false
    @Option(help: "Requests per batch job (--batch; a categorize request holds --per-request records).")
    public var batchSize: Int = 10_000
    @Option(help: "Seconds between polls of a batch job (--batch).")
    public var pollSeconds: Double = 30
    @Option(help: ArgumentHelp("Where --batch keeps its job names (default: OUTPUT.batch.json).", valueName: "FILE"))
    public var batchState: String?

    public init() {}

    /// Where --batch keeps its job names, beside `output` (the -o file) unless --batch-state says.
    public func statePath(output: String?) -> String? {
        batchState ?? output.map { $0 + ".batch.json" }
    }

    /// Checks the values; a --batch run (not a dry run) needs a place for its job names.
    public func validate(output: String?, dryRun: Bool) throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be more than 0") }
        if batch, !dryRun, statePath(output: output) == nil {
            throw ValidationError("--batch needs -o FILE or --batch-state FILE (the job names must survive the run)")
        }
    }
}
