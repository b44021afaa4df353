// SigV4Signer: AWS Signature Version 4 for requests whose body is known by its hash, done with
// swift-crypto's HMAC-SHA256 (checked against AWS's published test vectors in S3Tests).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import HTTP
import Records

/// Signs requests for one service in one region with one set of credentials.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    /// SHA-256 of an empty body, the payload hash of a GET.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request: x-amz-date, x-amz-content-sha256 (S3 only), the
    /// session token when there is one, and Authorization.
    /// - Parameters:
    ///   - host: the Host header libcurl will send (host, plus :port when not the default).
    ///   - canonicalPath: the path exactly as sent (already percent-encoded the SigV4 way).
    ///   - query: the query parameters, not encoded.
    ///   - headers: other headers sent with the request (all are signed).
    public func signingHeaders(method: String, host: String, canonicalPath: String, query: [(String, String)],
                               headers: [HTTPHeader], payloadHash: String = emptyPayloadHash,
                               date: AmzDate) -> [HTTPHeader] {
        var added = [HTTPHeader("x-amz-date", date.timestamp)]
        if service == "s3" { added.append(HTTPHeader("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(HTTPHeader("x-amz-security-token", token)) }
        let all = [HTTPHeader("host", host)] + headers + added
        let authorization = self.authorization(method: method, canonicalPath: canonicalPath,
                                               canonicalQuery: Self.canonicalQuery(query), headers: all,
                                               payloadHash: payloadHash, date: date)
        return added + [HTTPHeader("Authorization", authorization)]
    }

    /// The Authorization header value for a request already in canonical parts.
    public func authorization(method: String, canonicalPath: String, canonicalQuery: String, headers: [HTTPHeader],
                              payloadHash: String, date: AmzDate) -> String {
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let scope = "\(date.day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", date.timestamp, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: date.day)))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// The derived key for one day: HMAC chain over day, region, service, "aws4_request".
    public func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// Lowercased, sorted, trimmed header lines (with the trailing newline) and the signed-headers list.
    static func canonicalHeaders(_ headers: [HTTPHeader]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for header in headers {
            merged[header.name.lowercased(), default: []].append(Self.trimmedValue(header.value))
        }
        let names = merged.keys.sorted()
        let lines = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    private static func trimmedValue(_ value: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in value.trimmingBlanks() {
            let isSpace = character == " " || character == "\t"
            if isSpace, lastWasSpace { continue }
            result.append(isSpace ? " " : character)
            lastWasSpace = isSpace
        }
        return result
    }

    /// Query parameters encoded and sorted as SigV4 requires (`name=` even for empty values).
    public static func canonicalQuery(_ parameters: [(String, String)]) -> String {
        parameters.map { (URIEncoding.encode($0.0), URIEncoding.encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func hex(_ digest: SHA256.Digest) -> String { hex(Array(digest)) }
    static func hex(_ code: HMAC<SHA256>.MAC) -> String { hex(Array(code)) }
}

/// The request time in the two forms SigV4 uses.
public struct AmzDate: Sendable, Equatable {
    /// `20150830T123600Z`
    public var timestamp: String
    /// `20150830`
    public var day: String { String(timestamp.prefix(8)) }

    public init(timestamp: String) { self.timestamp = timestamp }

    /// The current UTC time.
    public static func now() -> AmzDate { AmzDate(secondsSinceEpoch: time(nil)) }

    public init(secondsSinceEpoch: time_t) {
        var seconds = secondsSinceEpoch
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        timestamp = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingBlanks() -> String { trimming(" \t\n\r") }
}
