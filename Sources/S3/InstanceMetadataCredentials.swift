// InstanceMetadataCredentials: the role credentials of an EC2 instance through IMDSv2 — a
// session token from `PUT /latest/api/token`, then the role name and its credentials under
// /latest/meta-data/iam/security-credentials/. AWS_EC2_METADATA_SERVICE_ENDPOINT moves it,
// AWS_EC2_METADATA_DISABLED=true turns it off.
import HTTP
import Records

enum InstanceMetadataCredentials {
    static let defaultEndpoint = "http://169.254.169.254"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    /// A provider unless instance metadata is disabled.
    static func provider(environment: S3Configuration.Environment, configEndpoint: String?) throws -> AWSCredentialsProvider? {
        if environment("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" { return nil }
        var endpoint = environment("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? configEndpoint ?? defaultEndpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        try CredentialEndpoint.checkTransport(endpoint, setting: "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                              alsoAllowed: CredentialEndpoint.instanceMetadataHosts)
        return AWSCredentialsProvider(source: "instance metadata") { [endpoint] in try fetch(endpoint: endpoint) }
    }

    static func fetch(endpoint: String) throws -> AWSCredentials {
        let what = "instance metadata at \(endpoint)"
        // One quick attempt: off EC2 nothing answers at the link-local address.
        let tokenResponse = try CredentialEndpoint.send(
            HTTPRequest(method: "PUT", url: endpoint + "/latest/api/token",
                        headers: [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600")], body: []),
            connectTimeout: 1, what: what)
        var headers: [HTTPHeader] = []
        switch tokenResponse.head.status {
        case 200:
            headers.append(HTTPHeader("X-aws-ec2-metadata-token", String(decoding: tokenResponse.body, as: UTF8.self).trimmingBlanks()))
        case 403:
            throw S3Error.noCredentials("\(what) refused a session token (HTTP 403: IMDS disabled on this instance?)")
        default:
            break  // IMDSv1-only service (404/405): ask without a token
        }
        let roles = try CredentialEndpoint.send(HTTPRequest(url: endpoint + credentialsPath, headers: headers), connectTimeout: 1, what: what)
        guard roles.head.status == 200,
              let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: { $0 == "\n" }).first?.trimmingBlanks(),
              !role.isEmpty else {
            throw S3Error.noCredentials("\(what) has no instance role (HTTP \(roles.head.status))")
        }
        let source = "instance metadata (role \(role))"
        let answer = try CredentialEndpoint.send(HTTPRequest(url: endpoint + credentialsPath + URIEncoding.encode(role), headers: headers),
                                                 connectTimeout: 1, what: what)
        guard answer.head.status == 200 else { throw S3Error.noCredentials("\(source) answered HTTP \(answer.head.status)") }
        return try CredentialEndpoint.parseCredentials(answer.body, source: source)
    }
}
