// HTTPError: why a transfer failed below the HTTP level (connection, timeout, TLS), and
// whether trying again may help.
import Posix

/// A transport-level failure reported by libcurl.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// libcurl's CURLcode number.
    public var code: Int
    /// libcurl's text for the code.
    public var message: String
    /// Trying again may succeed (a reset connection, a timeout, a short body).
    public var isRetryable: Bool

    public init(code: Int, message: String, isRetryable: Bool) {
        self.code = code
        self.message = message
        self.isRetryable = isRetryable
    }

    public var description: String { message }
}

extension HTTPError: UserFacingError {}
