// ToolError and exit statuses: the run-level failures (as opposed to per-record errors, which
// are data) and the numbers a shell script sees.
import Posix

/// Exit statuses shared by every tool (see README "Exit status").
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The run could not go on: bad input file, no credentials, disk full.
    public static let fatal: Int32 = 1
    /// Bad flags or arguments.
    public static let usage: Int32 = 2
    /// `--strict` and at least one record ended with an error.
    public static let strictFailure: Int32 = 3
    /// Stopped by SIGINT (128 + 2) or SIGTERM (128 + 15).
    public static let interrupted: Int32 = 130
    public static let terminated: Int32 = 143
    /// The reader of stdout went away (128 + SIGPIPE), as other Unix tools report it.
    public static let brokenPipe: Int32 = 141
}

/// A failure that ends the run, with the one line a person needs to act on it (for failures the
/// libraries' own errors do not describe: a tool's usage rules, context only the tool knows).
public struct ToolError: UserFacingError, CustomStringConvertible, Sendable {
    public var message: String
    public var status: Int32

    public init(_ message: String, status: Int32 = ExitStatus.fatal) {
        self.message = message
        self.status = status
    }

    public static func usage(_ message: String) -> ToolError {
        ToolError(message, status: ExitStatus.usage)
    }

    public var description: String { message }
    public var exitStatus: Int32 { status }
}
