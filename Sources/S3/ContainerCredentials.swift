// ContainerCredentials: the credentials endpoint of ECS tasks, AWS Batch jobs and EKS Pod
// Identity (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with an authorization token
// from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN).
import HTTP
import Records

enum ContainerCredentials {
    /// The ECS agent's address for relative URIs.
    static let ecsHost = "http://169.254.170.2"

    /// A provider when the environment names a container endpoint, else nil.
    static func provider(environment: @escaping S3Configuration.Environment) throws -> AWSCredentialsProvider? {
        let url: String
        if let relative = environment("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            try CredentialEndpoint.checkTransport(full, setting: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                                  alsoAllowed: CredentialEndpoint.containerAgents)
            url = full
        } else {
            return nil
        }
        let source = "container credentials endpoint"
        return AWSCredentialsProvider(source: source) {
            var headers: [HTTPHeader] = []
            if let token = try authorizationToken(environment: environment) { headers.append(HTTPHeader("Authorization", token)) }
            let response = try CredentialEndpoint.send(HTTPRequest(url: url, headers: headers), connectTimeout: 2, what: source)
            guard response.head.status == 200 else {
                throw S3Error.noCredentials("\(source) answered HTTP \(response.head.status)")
            }
            return try CredentialEndpoint.parseCredentials(response.body, source: source)
        }
    }

    /// The token file is read on every fetch: EKS rotates it.
    static func authorizationToken(environment: S3Configuration.Environment) throws -> String? {
        if let path = environment("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let token = try TokenFile.read(path, what: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            guard !token.contains("\r"), !token.contains("\n") else {
                throw S3Error.invalidConfiguration("\(path): the authorization token holds a line break")
            }
            return token
        }
        return environment("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }
}

/// A token kept in a file (web identity, container authorization), read whole and trimmed.
enum TokenFile {
    static func read(_ path: String, what: String) throws -> String {
        let reader: LineReader
        do { reader = try LineReader(path: path) } catch {
            throw S3Error.noCredentials("\(what) \(path) cannot be read: \(error)")
        }
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(line) }
        let token = lines.joined(separator: "\n").trimmingBlanks()
        guard !token.isEmpty else { throw S3Error.noCredentials("\(what) \(path) is empty") }
        return token
    }
}
