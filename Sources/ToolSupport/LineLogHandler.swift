// LineLogHandler: a swift-log handler that turns each event into one line and hands it on (to
// stderr, or to the log file), so both destinations share the level and metadata handling.
import Logging

/// Passes every event at or above `logLevel` to `write`.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let write: @Sendable (LogEvent) -> Void

    public init(level: Logger.Level, write: @escaping @Sendable (LogEvent) -> Void) {
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) { write(event) }

    /// `warning: ` or `error: ` before a message on stderr; nothing for the levels below.
    public static func prefix(_ level: Logger.Level) -> String {
        switch level {
        case .warning: return "warning: "
        case .error, .critical: return "error: "
        default: return ""
        }
    }
}
