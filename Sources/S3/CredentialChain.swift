// CredentialChain: where credentials come from, in the order the AWS CLI documents:
// environment keys; a profile's role (role_arn with source_profile or credential_source: STS
// AssumeRole); web identity (a profile's web_identity_token_file, else AWS_WEB_IDENTITY_TOKEN_FILE
// with AWS_ROLE_ARN: STS AssumeRoleWithWebIdentity); SSO (through the AWS CLI); keys in
// ~/.aws/credentials; credential_process; keys in ~/.aws/config; the container endpoint
// (ECS, Batch, EKS Pod Identity); EC2 instance metadata.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Records

struct CredentialChain {
    var config: AWSConfigFile
    var credentialsFile: AWSConfigFile
    var region: String
    var environment: S3Configuration.Environment

    /// The first source that has credentials for `profile`; temporary ones are fetched now,
    /// so a missing or refusing source fails here, before any work starts.
    func provider(explicitProfile: String?, profile: String) throws -> AWSCredentialsProvider {
        if explicitProfile == nil, let keys = environmentKeys() { return keys }
        if let provider = try profileProvider(profile, depth: 0) { return try checked(provider) }
        if let container = try ContainerCredentials.provider(environment: environment) { return try checked(container) }
        if explicitProfile != nil || environment("AWS_PROFILE") != nil, config.sections[profile] == nil,
           credentialsFile.sections[profile] == nil {
            throw S3Error.noCredentials("profile \(profile) is not in ~/.aws/config or ~/.aws/credentials")
        }
        if let metadata = try InstanceMetadataCredentials.provider(environment: environment,
                                                                configEndpoint: setting("ec2_metadata_service_endpoint", profile)) {
            do {
                return try checked(metadata)
            } catch {
                throw S3Error.noCredentials("none in the environment, profile \(profile), a container endpoint or instance metadata (\(error))")
            }
        }
        throw S3Error.noCredentials("none in the environment or profile \(profile)")
    }

    /// Fetches once, so the run fails at the start when the source cannot deliver.
    private func checked(_ provider: AWSCredentialsProvider) throws -> AWSCredentialsProvider {
        _ = try provider.current()
        return provider
    }

    private func setting(_ key: String, _ profile: String) -> String? {
        config.value(key, profile: profile)
    }

    /// A profile's own credentials: role, web identity, SSO, keys or credential_process; nil
    /// when it has none.
    private func profileProvider(_ profile: String, depth: Int) throws -> AWSCredentialsProvider? {
        guard depth < 5 else { throw S3Error.invalidConfiguration("profile \(profile): source_profile chain longer than 5 (a loop?)") }
        if let role = setting("role_arn", profile) ?? credentialsFile.value("role_arn", profile: profile) {
            return try roleProvider(profile, role: role, depth: depth)
        }
        // Web identity from the environment (EKS IRSA) comes before the profile's own keys.
        if depth == 0, let tokenFile = environment("AWS_WEB_IDENTITY_TOKEN_FILE"), let role = environment("AWS_ROLE_ARN") {
            return try webIdentity(role: role, tokenFile: tokenFile, sessionName: environment("AWS_ROLE_SESSION_NAME"))
        }
        if setting("sso_session", profile) != nil || setting("sso_start_url", profile) != nil {
            return try ssoProvider(profile)
        }
        if let keys = keys(in: credentialsFile, profile) { return keys }
        if let command = credentialsFile.value("credential_process", profile: profile) ?? setting("credential_process", profile) {
            let source = "profile \(profile) (credential_process)"
            return AWSCredentialsProvider(source: source) { try CredentialProcess.run(command, source: source) }
        }
        return keys(in: config, profile)
    }

    private func roleProvider(_ profile: String, role: String, depth: Int) throws -> AWSCredentialsProvider {
        let sessionName = setting("role_session_name", profile) ?? environment("AWS_ROLE_SESSION_NAME")
        if let tokenFile = setting("web_identity_token_file", profile) {
            return try webIdentity(role: role, tokenFile: tokenFile, sessionName: sessionName)
        }
        let base: AWSCredentialsProvider
        if let sourceProfile = setting("source_profile", profile) ?? credentialsFile.value("source_profile", profile: profile) {
            // A profile naming itself uses its own keys (the CLI's role chaining rule).
            let own = sourceProfile == profile ? keys(in: credentialsFile, profile) ?? keys(in: config, profile) : try profileProvider(sourceProfile, depth: depth + 1)
            guard let own else { throw S3Error.noCredentials("profile \(profile): source_profile \(sourceProfile) has no credentials") }
            base = own
        } else if let credentialSource = setting("credential_source", profile) {
            base = try credentialSourceProvider(credentialSource, profile: profile)
        } else {
            throw S3Error.invalidConfiguration("profile \(profile) has role_arn but neither source_profile, credential_source nor web_identity_token_file")
        }
        let sts = try STSClient(region: region, environment: environment)
        let externalID = setting("external_id", profile)
        let source = "profile \(profile) (role \(role))"
        let name = sessionName ?? Self.defaultSessionName()
        return AWSCredentialsProvider(source: source) {
            try sts.assumeRole(roleARN: role, sessionName: name, externalID: externalID, signingWith: try base.current(), source: source)
        }
    }

    private func keys(in file: AWSConfigFile, _ profile: String) -> AWSCredentialsProvider? {
        guard let key = file.value("aws_access_key_id", profile: profile),
              let secret = file.value("aws_secret_access_key", profile: profile) else { return nil }
        return AWSCredentialsProvider(AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                                     sessionToken: file.value("aws_session_token", profile: profile),
                                                     source: "profile \(profile)"))
    }

    private func environmentKeys() -> AWSCredentialsProvider? {
        guard let key = environment("AWS_ACCESS_KEY_ID"), let secret = environment("AWS_SECRET_ACCESS_KEY") else { return nil }
        return AWSCredentialsProvider(AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                                     sessionToken: environment("AWS_SESSION_TOKEN") ?? environment("AWS_SECURITY_TOKEN"),
                                                     source: "environment"))
    }

    private func credentialSourceProvider(_ name: String, profile: String) throws -> AWSCredentialsProvider {
        switch name {
        case "Environment":
            guard let keys = environmentKeys() else {
                throw S3Error.noCredentials("profile \(profile): credential_source Environment, but AWS_ACCESS_KEY_ID is not set")
            }
            return keys
        case "EcsContainer":
            guard let container = try ContainerCredentials.provider(environment: environment) else {
                throw S3Error.noCredentials("profile \(profile): credential_source EcsContainer, but no AWS_CONTAINER_CREDENTIALS_* is set")
            }
            return container
        case "Ec2InstanceMetadata":
            guard let metadata = try InstanceMetadataCredentials.provider(environment: environment,
                                                                       configEndpoint: setting("ec2_metadata_service_endpoint", profile)) else {
                throw S3Error.noCredentials("profile \(profile): credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true")
            }
            return metadata
        default:
            throw S3Error.invalidConfiguration("profile \(profile): credential_source \(name) is not Environment, Ec2InstanceMetadata or EcsContainer")
        }
    }

    private func webIdentity(role: String, tokenFile: String, sessionName: String?) throws -> AWSCredentialsProvider {
        let sts = try STSClient(region: region, environment: environment)
        let source = "web identity (role \(role))"
        let name = sessionName ?? Self.defaultSessionName()
        return AWSCredentialsProvider(source: source) {
            // Read on every refresh: the kubelet rotates the projected token.
            let token = try TokenFile.read(tokenFile, what: "web identity token file")
            return try sts.assumeRoleWithWebIdentity(roleARN: role, sessionName: name, token: token, source: source)
        }
    }

    private func ssoProvider(_ profile: String) throws -> AWSCredentialsProvider {
        guard ChildProcess.find("aws", path: environment("PATH")) != nil else {
            throw S3Error.noCredentials("profile \(profile) uses SSO, which needs the AWS CLI (`aws`) on PATH")
        }
        let quoted = "'" + profile.replacingSingleQuotes() + "'"
        let source = "profile \(profile) (aws configure export-credentials)"
        return AWSCredentialsProvider(source: source) {
            try CredentialProcess.run("aws configure export-credentials --profile \(quoted) --format process", source: source)
        }
    }

    static func defaultSessionName() -> String { "imagekit-\(time(nil))" }
}
