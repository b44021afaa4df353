// S3Configuration: endpoint, region and credentials, found the way the AWS CLI finds them:
// flags, then AWS_* environment variables, then the profile in ~/.aws/config and
// ~/.aws/credentials; credentials through CredentialChain.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import HTTP
import Records

/// Everything the client needs to reach and sign for S3.
public struct S3Configuration: Sendable {
    public var endpoint: S3Endpoint
    public var region: String
    /// Asked for the current credentials before each request is signed.
    public var credentials: AWSCredentialsProvider
    public var retry: RetryPolicy
    /// `requester` for requester-pays buckets (sent as x-amz-request-payer).
    public var requestPayer: String?
    /// The endpoint is AWS's own for `region` (no endpoint URL given), so a bucket in another
    /// region is reached at that region's endpoint.
    public var endpointFollowsRegion = false

    public init(endpoint: S3Endpoint, region: String, credentials: AWSCredentialsProvider, retry: RetryPolicy = RetryPolicy()) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.retry = retry
    }

    /// With credentials that never change.
    public init(endpoint: S3Endpoint, region: String, credentials: AWSCredentials, retry: RetryPolicy = RetryPolicy()) {
        self.init(endpoint: endpoint, region: region, credentials: AWSCredentialsProvider(credentials), retry: retry)
    }

    /// Reads an environment variable (blank counts as unset).
    public typealias Environment = @Sendable (String) -> String?

    public static let processEnvironment: Environment = { name in
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw).trimmingBlanks()
        return value.isEmpty ? nil : value
    }

    /// Resolves the configuration.
    /// - Parameters:
    ///   - endpointURL: `--endpoint-url` (wins over AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL and the profile's endpoint_url).
    ///   - profile: `--profile` (wins over keys in the environment, as in the AWS CLI).
    public static func resolve(endpointURL: String?, profile explicitProfile: String?, region explicitRegion: String? = nil,
                               environment: @escaping Environment = processEnvironment) throws -> S3Configuration {
        let home = environment("HOME") ?? ""
        let config = AWSConfigFile.load(path: environment("AWS_CONFIG_FILE") ?? "\(home)/.aws/config", isConfigFile: true)
        let credentialsFile = AWSConfigFile.load(path: environment("AWS_SHARED_CREDENTIALS_FILE") ?? "\(home)/.aws/credentials",
                                                 isConfigFile: false)
        let profile = explicitProfile ?? environment("AWS_PROFILE") ?? environment("AWS_DEFAULT_PROFILE") ?? "default"
        let region = explicitRegion ?? environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION")
            ?? config.value("region", profile: profile) ?? "us-east-1"
        let endpointText = endpointURL ?? environment("AWS_ENDPOINT_URL_S3") ?? environment("AWS_ENDPOINT_URL")
            ?? config.value("endpoint_url", profile: profile)
        let allowPlainHTTP = environment(S3Endpoint.allowPlainHTTPVariable) == "1"
        let endpoint = try endpointText.map { try S3Endpoint(url: $0, allowPlainHTTP: allowPlainHTTP) } ?? .aws(region: region)
        let chain = CredentialChain(config: config, credentialsFile: credentialsFile, region: region, environment: environment)
        let credentials = try chain.provider(explicitProfile: explicitProfile, profile: profile)
        var configuration = S3Configuration(endpoint: endpoint, region: region, credentials: credentials)
        configuration.endpointFollowsRegion = endpointText == nil
        return configuration
    }
}

extension String {
    /// For a single-quoted shell word: each `'` becomes `'\''`.
    func replacingSingleQuotes() -> String {
        var out = ""
        for character in self {
            if character == "'" { out += "'\\''" } else { out.append(character) }
        }
        return out
    }
}
