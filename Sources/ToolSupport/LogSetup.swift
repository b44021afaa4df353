// LogSetup: swift-log handlers for the tools — short lines on stderr (`tool: message`), and
// with --log-file, timestamped lines appended to a file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Posix
import Records
import Synchronization

/// Writes `tool: level: message` lines to stderr through `StandardError`.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let tool: String

    public init(tool: String, level: Logger.Level) {
        self.tool = tool
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Per-record lines are for the log file; stderr keeps to warnings and the summary.
        if event.metadata?[LogSetup.destinationKey] == LogSetup.fileOnly[LogSetup.destinationKey] { return }
        let prefix: String
        switch event.level {
        case .warning: prefix = "warning: "
        case .error, .critical: prefix = "error: "
        default: prefix = ""
        }
        StandardError.shared.printLine("\(tool): \(prefix)\(event.message)")
    }
}

/// Appends timestamped lines to a log file (opened once, shared by every logger).
public final class FileLogHandlerSink: Sendable {
    private let file: FileDescriptor

    public init(path: String) throws {
        file = try FileDescriptor.open(path, .append)
    }

    /// A failed write is dropped: the log cannot report its own failure.
    func write(_ line: String) {
        try? file.write(line + "\n")
    }
}

public struct FileLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let tool: String
    let sink: FileLogHandlerSink

    public init(tool: String, sink: FileLogHandlerSink, level: Logger.Level) {
        self.tool = tool
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        sink.write("\(Self.timestamp()) \(tool) \(event.level): \(event.message)")
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

public enum LogSetup {
    private static let bootstrapped = Mutex(false)
    static let destinationKey = "log-to"
    /// Metadata of a line written to the --log-file only (a line per record, the summary).
    public static let fileOnly: Logger.Metadata = [destinationKey: "file"]

    /// Installs the handlers once per process and returns the tool's logger.
    public static func logger(tool: String, quiet: Bool, verbose: Bool, logFile: String?) throws -> Logger {
        let level: Logger.Level = quiet ? .warning : (verbose ? .debug : .info)
        let sink = try logFile.map(FileLogHandlerSink.init(path:))
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { _ in
                var handlers: [LogHandler] = [StderrLogHandler(tool: tool, level: level)]
                if let sink { handlers.append(FileLogHandler(tool: tool, sink: sink, level: verbose ? .debug : .info)) }
                return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
            }
        }
        return Logger(label: tool)
    }
}
