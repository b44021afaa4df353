// CredentialEndpoint: one request to a service that hands out credentials (instance metadata,
// container endpoint, STS), on its own handle with a short connect timeout, and the rule for
// where such a request may go over plain http.
import HTTP
import Records

enum CredentialEndpoint {
    /// Sends one request; answers of any status come back, transport failures throw.
    static func send(_ request: HTTPRequest, connectTimeout: Double, what: String) throws -> BufferedResponse {
        let easy = try EasyHandle()
        let response = BufferedResponse(limit: 1 << 20)
        easy.prepare(request, receiver: response, timeouts: HTTPTimeouts(connect: connectTimeout, lowSpeedBytes: 1, lowSpeedSeconds: 5))
        if let error = easy.perform() { throw S3Error.noCredentials("\(what) did not answer: \(error.message)") }
        return response
    }

    /// Credentials may travel over plain http only to this machine or to the link-local
    /// addresses AWS documents for the ECS/EKS container agents; anything else needs https.
    static func allowsPlainHTTP(host: String, alsoAllowed: Set<String> = containerAgents) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().prefix { $0 != "]" }) : String(host.prefix { $0 != ":" })
        let name = bare.lowercased()
        if name == "localhost" || name == "::1" || alsoAllowed.contains(name) { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The ECS agent and the EKS Pod Identity agent (IPv4 and IPv6).
    static let containerAgents: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
    /// The EC2 instance metadata service (IPv4 and IPv6).
    static let instanceMetadataHosts: Set<String> = ["169.254.169.254", "fd00:ec2::254"]

    /// Fails unless `url` is https, or http to a host `allowsPlainHTTP` accepts.
    static func checkTransport(_ url: String, setting: String, alsoAllowed: Set<String>) throws {
        guard let parts = split(url) else { throw S3Error.invalidConfiguration("\(setting) \(url) is not an http(s) URL") }
        guard parts.scheme == "https" || allowsPlainHTTP(host: parts.host, alsoAllowed: alsoAllowed) else {
            throw S3Error.invalidConfiguration("\(setting) \(url): credentials travel over plain http only to this machine or AWS's link-local agents; use https")
        }
    }

    /// Scheme and host of an http(s) URL, and the rest (path and query).
    static func split(_ url: String) -> (scheme: String, host: String, path: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = String(rest[..<slash])
        guard scheme == "http" || scheme == "https", !host.isEmpty, !host.contains("@") else { return nil }
        return (scheme, host, slash == rest.endIndex ? "/" : String(rest[slash...]))
    }

    /// The credentials JSON of the container and instance metadata endpoints.
    static func parseCredentials(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let object = try? JSONParser.parse(body).objectValue,
              let key = object["AccessKeyId"]?.stringValue, let secret = object["SecretAccessKey"]?.stringValue else {
            throw S3Error.noCredentials("\(source) answered without AccessKeyId and SecretAccessKey")
        }
        let token = object["Token"]?.stringValue ?? object["SessionToken"]?.stringValue
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil,
                              expiration: object["Expiration"]?.stringValue, source: source)
    }
}
