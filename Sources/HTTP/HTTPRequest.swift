// HTTPRequest and HTTPResponseHead: the plain values that go into and come out of a transfer.

/// One header line, name and value as sent or received.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request to send: the URL must already be in its final (percent-encoded) form; libcurl
/// sends it as given.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    /// A request body (PUT); nil for none.
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The status line and headers of a response (names lowercased).
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]

    public init(status: Int = 0, headers: [String: String] = [:]) {
        self.status = status
        self.headers = headers
    }

    public subscript(name: String) -> String? { headers[name] }

    /// Content-Length as a number, when sent.
    public var contentLength: Int? { headers["content-length"].flatMap { Int($0) } }
}
