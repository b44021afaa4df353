// AWSCredentials: an access key pair and optional session token. Its description never shows
// the secret or the token, so it is safe to log.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records

/// Credentials for signing requests.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working (ISO 8601), if known.
    public var expiration: String?
    /// Where they came from ("environment", "profile dev (credential_process)"), for messages.
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
                expiration: String? = nil, source: String = "") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// The expiration as seconds since the epoch.
    public var expiresAt: time_t? { expiration.flatMap(ISO8601.secondsSinceEpoch) }

    /// `AKIA…MPLE from environment` — the key id shortened, no secret.
    public var description: String {
        let id = accessKeyID.count > 8 ? "\(accessKeyID.prefix(4))…\(accessKeyID.suffix(4))" : "…"
        return "\(id) from \(source)"
    }
}
