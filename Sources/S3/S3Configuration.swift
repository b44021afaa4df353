// S3Configuration: endpoint, region and credentials, found the way the AWS CLI finds them:
// flags, then AWS_* environment variables, then the profile in ~/.aws/config and
// ~/.aws/credentials (static keys, credential_process, or SSO through the AWS CLI).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTP
import Records

/// Everything the client needs to reach and sign for S3.
public struct S3Configuration: Sendable {
    public var endpoint: S3Endpoint
    public var region: String
    public var credentials: AWSCredentials
    public var retry: RetryPolicy

    public init(endpoint: S3Endpoint, region: String, credentials: AWSCredentials, retry: RetryPolicy = RetryPolicy()) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.retry = retry
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
                               environment: Environment = processEnvironment) throws -> S3Configuration {
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
        let credentials = try resolveCredentials(explicitProfile: explicitProfile, profile: profile, config: config,
                                                 credentialsFile: credentialsFile, environment: environment)
        return S3Configuration(endpoint: endpoint, region: region, credentials: credentials)
    }

    static func resolveCredentials(explicitProfile: String?, profile: String, config: AWSConfigFile,
                                   credentialsFile: AWSConfigFile, environment: Environment) throws -> AWSCredentials {
        if explicitProfile == nil, let key = environment("AWS_ACCESS_KEY_ID"), let secret = environment("AWS_SECRET_ACCESS_KEY") {
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                  sessionToken: environment("AWS_SESSION_TOKEN") ?? environment("AWS_SECURITY_TOKEN"),
                                  source: "environment")
        }
        for file in [credentialsFile, config] {
            if let key = file.value("aws_access_key_id", profile: profile),
               let secret = file.value("aws_secret_access_key", profile: profile) {
                return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                      sessionToken: file.value("aws_session_token", profile: profile),
                                      source: "profile \(profile)")
            }
        }
        if let command = credentialsFile.value("credential_process", profile: profile) ?? config.value("credential_process", profile: profile) {
            return try CredentialProcess.run(command, source: "profile \(profile) (credential_process)")
        }
        let usesSSO = config.value("sso_session", profile: profile) != nil || config.value("sso_start_url", profile: profile) != nil
        let assumesRole = config.value("role_arn", profile: profile) != nil
        if usesSSO || assumesRole {
            guard ChildProcess.find("aws", path: environment("PATH")) != nil else {
                throw S3Error.noCredentials("profile \(profile) uses \(usesSSO ? "SSO" : "a role"), which needs the AWS CLI (`aws`) on PATH")
            }
            let quoted = "'" + profile.replacingSingleQuotes() + "'"
            return try CredentialProcess.run("aws configure export-credentials --profile \(quoted) --format process",
                                             source: "profile \(profile) (aws configure export-credentials)")
        }
        if explicitProfile != nil || environment("AWS_PROFILE") != nil, config.sections[profile] == nil, credentialsFile.sections[profile] == nil {
            throw S3Error.noCredentials("profile \(profile) is not in ~/.aws/config or ~/.aws/credentials")
        }
        throw S3Error.noCredentials("none in the environment or profile \(profile)")
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
