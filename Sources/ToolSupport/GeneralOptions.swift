// GeneralOptions: the flags every tool takes, record tool or not (settings file, logging), and
// the start they share: the logger, then the settings file with its unknown keys reported.
import ArgumentParser
import Logging

/// `--config`, `-q/--quiet`, `--log-file` and `--verbose`, mixed into a command with @OptionGroup.
public struct GeneralOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Settings file (reference keys accepted). Default: ./config.yaml if present.", valueName: "FILE"))
    public var config: String?

    @Flag(name: [.customShort("q"), .long], help: "No progress and no informational logs; warnings, errors and the summary only.")
    public var quiet = false

    @Option(help: ArgumentHelp("Also append logs (with timestamps) to FILE.", valueName: "FILE"))
    public var logFile: String?

    @Flag(help: "Log more detail (per-record decisions, retries).")
    public var verbose = false

    public init() {}

    /// Sets up logging and loads the settings file, warning about keys it does not know.
    public func start(tool: String) throws -> (logger: Logger, config: ToolConfig) {
        let logger = try LogSetup.logger(tool: tool, quiet: quiet, verbose: verbose, logFile: logFile)
        let loaded = try ToolConfig.load(explicitPath: config)
        // Under make the pipeline warns once for the whole run (scripts/config-check.sh).
        for key in loaded.unknownKeys where environmentValue(ToolConfig.checkedByCallerVariable) != "1" {
            logger.warning("\(loaded.path ?? "config"): unknown setting '\(key)' ignored")
        }
        return (logger, loaded)
    }
}
