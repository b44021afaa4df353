// AWSCredentialsProvider: hands the signer the current credentials and fetches temporary ones
// again ahead of their expiry, so a run longer than a credential's lifetime goes on.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import Synchronization

/// The credentials of one source (environment, profile, STS, container, instance metadata),
/// cached and refreshed. Safe to share between threads.
public final class AWSCredentialsProvider: Sendable {
    public typealias Fetch = @Sendable () throws -> AWSCredentials

    /// Where the credentials come from ("instance metadata (role r)"), for messages.
    public let source: String
    private let fetch: Fetch
    private let refreshAhead: Int
    private let state = Mutex<(credentials: AWSCredentials?, fetchedAt: time_t, fetches: Int)>((nil, 0, 0))

    /// Credentials that never change (keys in the environment or a profile).
    public convenience init(_ credentials: AWSCredentials) {
        self.init(source: credentials.source) { credentials }
    }

    /// - Parameter refreshAhead: seconds before expiry to fetch new credentials (capped at half
    ///   their lifetime, so short-lived credentials are not fetched again on every request).
    public init(source: String, refreshAhead: Int = 300, fetch: @escaping Fetch) {
        self.source = source
        self.refreshAhead = refreshAhead
        self.fetch = fetch
    }

    /// The credentials to sign with now: the cached ones, or new ones when those are near expiry.
    /// When a refresh fails while the old credentials are still valid, the old ones are used
    /// (the next request tries again), as the AWS CLI does in its advisory window.
    public func current(now: time_t = time(nil)) throws -> AWSCredentials {
        try state.withLock { state in
            if let cached = state.credentials, !Self.isDue(cached, fetchedAt: state.fetchedAt, refreshAhead: refreshAhead, now: now) {
                return cached
            }
            do {
                let fresh = try fetch()
                if let expiry = fresh.expiresAt, expiry <= now {
                    throw S3Error.credentialsExpired("\(fresh.source) returned credentials that expired at \(fresh.expiration ?? "?")")
                }
                state = (fresh, now, state.fetches + 1)
                return fresh
            } catch {
                if let cached = state.credentials, let expiry = cached.expiresAt, expiry > now { return cached }
                throw error
            }
        }
    }

    /// How many times credentials were fetched (1 for static ones once used).
    public var fetchCount: Int { state.withLock { $0.fetches } }

    static func isDue(_ credentials: AWSCredentials, fetchedAt: time_t, refreshAhead: Int, now: time_t) -> Bool {
        guard let expiry = credentials.expiresAt else { return false }
        let lifetime = max(0, Int(expiry - fetchedAt))
        return Int(expiry - now) <= min(refreshAhead, lifetime / 2)
    }
}
