// S3Endpoint: where requests go and how a bucket and key become a URL path: virtual-hosted
// style on AWS, path style on S3-compatible stores (--endpoint-url).
import HTTP

/// The server and addressing style for S3 requests.
public struct S3Endpoint: Sendable, Equatable {
    public var scheme: String
    /// Host, plus `:port` when it is not the scheme's default (the Host header curl sends).
    public var host: String
    /// Path in front of every bucket (`/s3` for a store mounted below the root), no trailing slash.
    public var basePath: String
    /// `/bucket/key` instead of `bucket.host/key`.
    public var pathStyle: Bool

    /// The AWS endpoint of a region.
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com", basePath: "", pathStyle: false)
    }

    public init(scheme: String, host: String, basePath: String, pathStyle: Bool) {
        self.scheme = scheme
        self.host = host
        self.basePath = basePath
        self.pathStyle = pathStyle
    }

    /// An S3-compatible endpoint such as `http://127.0.0.1:8333`, addressed path-style.
    /// Plain http to a host other than loopback is refused (the access key id, a session token
    /// and every object would cross the network in clear text) unless `allowPlainHTTP`.
    public init(url: String, allowPlainHTTP: Bool = false) throws {
        let parsed: EndpointURL
        do {
            parsed = try EndpointURL.forSecrets(url, allowPlainHTTP: allowPlainHTTP)
        } catch {
            let optIn = error.isPlainHTTPToAnotherHost ? " (or set \(Self.allowPlainHTTPVariable)=1 on a network you trust)" : ""
            throw S3Error.invalidConfiguration("endpoint \(error)\(optIn)")
        }
        guard !parsed.pathAndQuery.contains("?") else {
            throw S3Error.invalidConfiguration("endpoint URL \(url) has a query; give scheme, host, port and path only")
        }
        scheme = parsed.scheme.rawValue
        host = parsed.authority
        var path = parsed.pathAndQuery
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        pathStyle = true
    }

    /// How to opt in to plain http for a store on another machine of a trusted network.
    public static let allowPlainHTTPVariable = "IMAGEKIT_S3_ALLOW_HTTP"

    /// The Host header and the canonical (SigV4-encoded) path for an object or a bucket.
    public func location(bucket: String, key: String?) -> (host: String, path: String) {
        let encodedKey = key.map { URIEncoding.encode($0, keepSlash: true) } ?? ""
        if pathStyle || !Self.isVirtualHostCompatible(bucket) {
            return (host, basePath + "/" + URIEncoding.encode(bucket) + "/" + encodedKey)
        }
        return ("\(bucket).\(host)", basePath + "/" + encodedKey)
    }

    /// Bucket names that can be a DNS label under TLS (no dots, lowercase).
    static func isVirtualHostCompatible(_ bucket: String) -> Bool {
        bucket.count >= 3 && bucket.count <= 63 && !bucket.hasPrefix("-") && !bucket.hasSuffix("-")
            && bucket.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}

/// `s3://bucket/prefix` split into its parts.
public struct S3Location: Sendable, Equatable {
    public var bucket: String
    public var prefix: String

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Parses `s3://bucket` or `s3://bucket/some/prefix`.
    public init?(url: String) {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        bucket = String(rest[..<slash])
        prefix = slash == rest.endIndex ? "" : String(rest[rest.index(after: slash)...])
        guard !bucket.isEmpty else { return nil }
    }
}
