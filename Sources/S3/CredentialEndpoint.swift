// CredentialEndpoint: one request to a service that hands out credentials (instance metadata,
// container endpoint, STS), on its own handle with a short connect timeout, and where such a
// request may go over plain http.
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

    /// The ECS agent and the EKS Pod Identity agent (IPv4 and IPv6).
    static let containerAgents: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
    /// The EC2 instance metadata service (IPv4 and IPv6).
    static let instanceMetadataHosts: Set<String> = ["169.254.169.254", "fd00:ec2::254"]

    /// Fails unless `url` may carry credentials (EndpointURL's rule: https, or plain http to
    /// loopback), or is plain http to one of the link-local agents AWS documents.
    static func checkTransport(_ url: String, setting: String, alsoAllowed: Set<String>) throws {
        let parsed: EndpointURL
        do { parsed = try EndpointURL(url) } catch { throw S3Error.invalidConfiguration("\(setting): \(error)") }
        guard parsed.carriesSecretsSafely || alsoAllowed.contains(parsed.host) else {
            throw S3Error.invalidConfiguration("\(setting) \(url): credentials travel over plain http only to this machine or AWS's link-local agents; use https")
        }
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
