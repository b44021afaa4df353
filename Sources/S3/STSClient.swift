// STSClient: the two STS calls that turn one identity into role credentials — AssumeRole
// (signed with the source profile's credentials) and AssumeRoleWithWebIdentity (EKS IRSA:
// unsigned, carrying the service account token) — as form POSTs, answers read from XML.
import Crypto
import HTTP
import Records

struct STSClient: Sendable {
    var endpoint: S3Endpoint
    var region: String

    /// AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, else the regional AWS endpoint.
    init(region: String, environment: S3Configuration.Environment) throws {
        self.region = region
        if let url = environment("AWS_ENDPOINT_URL_STS") ?? environment("AWS_ENDPOINT_URL") {
            // A web identity token or role credentials must not cross a network in the clear.
            try CredentialEndpoint.checkTransport(url, setting: "the STS endpoint", alsoAllowed: [])
            endpoint = try S3Endpoint(url: url)
        } else {
            endpoint = S3Endpoint(scheme: "https", host: "sts.\(region).amazonaws.com", basePath: "", pathStyle: true)
        }
    }

    func assumeRole(roleARN: String, sessionName: String, externalID: String?, signingWith credentials: AWSCredentials,
                    source: String) throws -> AWSCredentials {
        var form = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID { form.append(("ExternalId", externalID)) }
        return try call(form: form, signingWith: credentials, source: source)
    }

    func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String, source: String) throws -> AWSCredentials {
        try call(form: [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
                        ("RoleSessionName", sessionName), ("WebIdentityToken", token)],
                 signingWith: nil, source: source)
    }

    private func call(form: [(String, String)], signingWith credentials: AWSCredentials?, source: String) throws -> AWSCredentials {
        let body = Array(SigV4Signer.canonicalQuery(form).utf8)
        let path = endpoint.basePath.isEmpty ? "/" : endpoint.basePath
        var headers = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        if let credentials {
            let signer = SigV4Signer(credentials: credentials, region: region, service: "sts")
            headers += signer.signingHeaders(method: "POST", host: endpoint.host, canonicalPath: path, query: [], headers: headers,
                                             payloadHash: SigV4Signer.hex(SHA256.hash(data: body)), date: .now())
        }
        let action = form[0].1
        let request = HTTPRequest(method: "POST", url: "\(endpoint.scheme)://\(endpoint.host)\(path)", headers: headers, body: body)
        let response = try CredentialEndpoint.send(request, connectTimeout: 5, what: "STS \(action) at \(endpoint.host)")
        let scanner = XMLScanner(response.body)
        guard response.head.status == 200 else {
            let error = S3ErrorBody(xml: response.body)
            throw S3Error.noCredentials("STS \(action) for \(source) failed: HTTP \(response.head.status) \(error.code) \(error.message)")
        }
        guard let range = scanner.elements("Credentials").first,
              let key = scanner.text("AccessKeyId", in: range), let secret = scanner.text("SecretAccessKey", in: range) else {
            throw S3Error.invalidResponse("STS \(action) answered without Credentials")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: scanner.text("SessionToken", in: range),
                              expiration: scanner.text("Expiration", in: range), source: source)
    }
}
