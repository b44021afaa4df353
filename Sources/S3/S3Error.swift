// S3Error: failures of the S3 client, each with the message a person needs to act on it.
import Posix

/// Why an S3 operation failed.
public enum S3Error: Error, Sendable, CustomStringConvertible {
    /// The credentials were refused as expired: the run must stop, nothing more can succeed.
    case credentialsExpired(String)
    /// No credentials could be found in the environment, profile or config files.
    case noCredentials(String)
    /// A setting (endpoint, profile, location) is unusable.
    case invalidConfiguration(String)
    /// The server answered with an S3 error.
    case service(status: Int, code: String, message: String)
    /// The request did not complete (connection, timeout), after the retries allowed.
    case transport(String)
    /// The server's answer could not be understood.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .credentialsExpired(let detail):
            return "credentials expired — refresh them (e.g. `aws sso login`) and rerun (\(detail))"
        case .noCredentials(let detail):
            return "no AWS credentials: \(detail) — set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/--profile with ~/.aws/credentials"
        case .invalidConfiguration(let detail):
            return detail
        case .service(let status, let code, let message):
            return message.isEmpty ? "HTTP \(status) \(code)" : "HTTP \(status) \(code): \(message)"
        case .transport(let detail):
            return "request failed: \(detail)"
        case .invalidResponse(let detail):
            return "unexpected answer from S3: \(detail)"
        }
    }

    /// S3 error codes that mean the session token ran out.
    static let expiredCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "RequestExpired"]
}

extension S3Error: UserFacingError {
    public var message: String { description }
}
