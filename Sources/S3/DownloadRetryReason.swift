// DownloadRetryReason: why an attempt of a download is tried again, and, once the retries are
// used up, the error record's code: typed, so the code never depends on a message's wording.

/// Why a download attempt failed in a way another attempt may fix.
enum DownloadRetryReason: Sendable, Equatable {
    /// The transfer failed or the server asked for a retry (connection, 5xx, throttling, a
    /// resumed download that must start over).
    case transfer(String)
    /// The body ended before the object's size.
    case shortBody(written: Int, expected: Int)
    /// The body does not match its checksum or ETag.
    case checksumMismatch(String)

    /// The `code` of the error record when no retry is left.
    var code: String {
        switch self {
        case .transfer: return "transfer_failed"
        case .shortBody: return "short_body"
        case .checksumMismatch: return "checksum_mismatch"
        }
    }

    /// The reason as a person reads it in the retry log and the error record.
    var message: String {
        switch self {
        case .transfer(let message), .checksumMismatch(let message): return message
        case .shortBody(let written, let expected): return "short body: \(written) of \(expected) bytes"
        }
    }
}
