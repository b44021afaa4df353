// LogSetup: swift-log set up for the tools — short lines on stderr (`tool: message`), and with
// --log-file, timestamped lines appended to a file.
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
                var handlers: [LogHandler] = [LineLogHandler(level: level) { event in
                    // Per-record lines are for the log file; stderr keeps to warnings and the summary.
                    if event.metadata?[destinationKey] == fileOnly[destinationKey] { return }
                    StandardError.shared.printLine("\(tool): \(LineLogHandler.prefix(event.level))\(event.message)")
                }]
                if let sink {
                    handlers.append(LineLogHandler(level: verbose ? .debug : .info) { event in
                        sink.write("\(LogSetup.timestamp()) \(tool) \(event.level): \(event.message)")
                    })
                }
                return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
            }
        }
        return Logger(label: tool)
    }

    /// Now in UTC, as the log file's lines begin (`2026-11-29T20:16:53Z`).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

