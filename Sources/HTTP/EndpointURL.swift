// EndpointURL: a server URL parsed once (scheme, host, port; user info refused) and the one rule
// for where a secret may travel: https to any host, plain http only to this machine's loopback.
// Every client that sends a key, a token or a signature (Gemini, S3) checks its URL here.
#if canImport(Glibc)
import Glibc
#endif

/// An `http` or `https` URL whose authority is plain enough that libcurl reads the same host.
public struct EndpointURL: Sendable, Equatable {
    public enum Scheme: String, Sendable {
        case http, https
        var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public let scheme: Scheme
    /// Lowercased host name, IPv4 dotted quad, or IPv6 address (without brackets).
    public let host: String
    /// The port when given and not the scheme's default.
    public let port: Int?
    /// Path and query after the authority ("" or starting with `/` or `?`).
    public let pathAndQuery: String

    /// Parses `text`; throws when it is not a URL this project sends requests to.
    public init(_ text: String) throws(EndpointURLError) {
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F || $0 == "#" || $0 == "\\" }) {
            throw EndpointURLError(url: text, reason: bad == "#" || bad == "\\" ? "'\(bad)' is not allowed" : "a space, control or non-ASCII character is not allowed")
        }
        guard let separator = text.firstRange(of: "://") else {
            throw EndpointURLError(url: text, reason: "needs a scheme (https://)")
        }
        guard let scheme = Scheme(rawValue: text[..<separator.lowerBound].lowercased()) else {
            throw EndpointURLError(url: text, reason: "only http and https are supported")
        }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        // user:password@host hides the real host behind what looks like one, and puts a secret in a URL.
        guard !authority.contains("@") else {
            throw EndpointURLError(url: text, reason: "user info (name@host) is refused: credentials never go in a URL")
        }
        let (host, port) = try Self.splitHostAndPort(authority, url: text)
        self.scheme = scheme
        self.host = host
        self.port = port == scheme.defaultPort ? nil : port
        pathAndQuery = String(rest[authorityEnd...])
    }

    /// Parses `text` and refuses it unless a secret may be sent there (see `carriesSecretsSafely`).
    /// - Parameter allowPlainHTTP: the user opted in to plain http to another host.
    public static func forSecrets(_ text: String, allowPlainHTTP: Bool = false) throws(EndpointURLError) -> EndpointURL {
        let url = try EndpointURL(text)
        guard url.carriesSecretsSafely || allowPlainHTTP else {
            throw EndpointURLError(url: text, reason: "plain http would send credentials in clear text to \(url.host); "
                                       + "use https (plain http only to localhost, 127.0.0.0/8 or [::1])",
                                   isPlainHTTPToAnotherHost: true)
        }
        return url
    }

    /// https anywhere, or plain http to loopback (traffic that never leaves the machine).
    public var carriesSecretsSafely: Bool { scheme == .https || isLoopback }

    /// `localhost`, an address in 127.0.0.0/8 written as a plain dotted quad, or ::1. Anything a
    /// resolver might read otherwise (`127.1`, `0x7f.1`, `localhost.example.com`) is not.
    public var isLoopback: Bool {
        if host == "localhost" { return true }
        if host.contains(":") { return Self.ipv6Bytes(host) == Array(repeating: 0, count: 15) + [1] }
        guard let octets = Self.dottedQuad(host) else { return false }
        return octets[0] == 127
    }

    /// `host[:port]` as the Host header carries it (IPv6 in brackets, the default port left out).
    public var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    /// The URL rebuilt from its parts, so libcurl reads exactly what was checked.
    public var normalized: String { "\(scheme.rawValue)://\(authority)\(pathAndQuery)" }

    private static func splitHostAndPort(_ authority: Substring, url: String) throws(EndpointURLError) -> (String, Int?) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw EndpointURLError(url: url, reason: "an IPv6 address lacks its closing ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw EndpointURLError(url: url, reason: "text follows the IPv6 address") }
                portText = after.dropFirst()
            }
            guard ipv6Bytes(String(host)) != nil else {
                throw EndpointURLError(url: url, reason: "not a valid IPv6 address (zone ids are not supported)")
            }
        } else {
            let colon = authority.firstIndex(of: ":")
            host = authority[..<(colon ?? authority.endIndex)]
            portText = colon.map { authority[authority.index(after: $0)...] }
            // Letters, digits, '-', '_' and '.' only: no percent-encoding or other spelling a
            // resolver could decode into a different host than the one checked here.
            let allowed = host.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F
            }
            guard !host.isEmpty, allowed, !host.hasPrefix("."), !host.contains("..") else {
                throw EndpointURLError(url: url, reason: "no usable host (letters, digits, '-', '.'; punycode for international names)")
            }
        }
        guard let portText else { return (host.lowercased(), nil) }
        guard let port = Int(portText), portText.allSatisfy(\.isASCII), portText.first != "+", (1...65535).contains(port) else {
            throw EndpointURLError(url: url, reason: "the port must be a number from 1 to 65535")
        }
        return (host.lowercased(), port)
    }

    /// Four decimal octets without leading zeros (which inet_aton would read as octal).
    static func dottedQuad(_ host: String) -> [Int]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  part == "0" || !part.hasPrefix("0"), let value = Int(part), value <= 255 else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// The sixteen bytes of an IPv6 address, or nil when `text` is not one.
    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

/// Why a URL was refused. The message shows the URL only up to its host: a query may hold a key.
public struct EndpointURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String
    /// The URL is fine but plain http to a host that is not loopback (a user may opt in for S3).
    public var isPlainHTTPToAnotherHost: Bool

    public init(url: String, reason: String, isPlainHTTPToAnotherHost: Bool = false) {
        self.url = url
        self.reason = reason
        self.isPlainHTTPToAnotherHost = isPlainHTTPToAnotherHost
    }

    public var description: String { "URL \(Self.redacted(url)): \(reason)" }

    /// The URL cut before its path and with any user info replaced by `…@`.
    static func redacted(_ url: String) -> String {
        let afterScheme = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        let authorityEnd = url[afterScheme...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? url.endIndex
        var authority = String(url[afterScheme..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = "…" + authority[at...] }
        let cut = authorityEnd == url.endIndex ? "" : "/…"
        return String(url[..<afterScheme]) + authority + cut
    }
}
