// StandardError: the one writer of stderr. Log lines and the progress bar share the terminal,
// so a log line first clears the bar, then the bar is drawn again below it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Records

/// Serialises everything a tool writes to stderr.
public final class StandardError: Sendable {
    public static let shared = StandardError()

    /// Whether stderr is a terminal (progress bar and colour allowed).
    public let isTerminal: Bool
    private let state = Mutex<String>("")  // the status line currently drawn

    private init() {
        isTerminal = isatty(2) == 1 && (getenv("TERM").map { String(cString: $0) } ?? "") != "dumb"
    }

    /// Writes whole lines (a newline is added), keeping the status line below them.
    public func printLine(_ text: String) {
        state.withLock { status in
            if status.isEmpty {
                writeStandardError(text + "\n")
            } else {
                writeStandardError("\r\u{1B}[K" + text + "\n" + status)
            }
        }
    }

    /// Replaces the status line (terminal only).
    public func setStatus(_ text: String) {
        guard isTerminal else { return }
        state.withLock { status in
            status = text
            writeStandardError("\r\u{1B}[K" + text)
        }
    }

    /// Removes the status line.
    public func clearStatus() {
        guard isTerminal else { return }
        state.withLock { status in
            if !status.isEmpty { writeStandardError("\r\u{1B}[K") }
            status = ""
        }
    }

    /// The terminal's width in columns (80 when unknown).
    public var columns: Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
