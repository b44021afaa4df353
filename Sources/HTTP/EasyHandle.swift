// EasyHandle: owns one libcurl easy handle. It sends one request at a time, parses the
// response head itself and streams the body to a receiver without copying.
import CCurl

/// Gets a response as it arrives. Both calls run on the thread that drives the transfer.
public protocol HTTPResponseReceiver: AnyObject {
    /// The status line and headers arrived (final, not 1xx); return false to abort the transfer.
    func receiveHead(_ head: HTTPResponseHead) -> Bool
    /// The next piece of the body (valid only during the call); return false to abort.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool
}

/// Limits that keep a stalled connection from hanging a run.
public struct HTTPTimeouts: Sendable {
    /// Seconds to establish a connection.
    public var connect: Double
    /// A transfer slower than `lowSpeedBytes` per second for `lowSpeedSeconds` is aborted.
    public var lowSpeedBytes: Int
    public var lowSpeedSeconds: Int

    public init(connect: Double = 10, lowSpeedBytes: Int = 1, lowSpeedSeconds: Int = 30) {
        self.connect = connect
        self.lowSpeedBytes = lowSpeedBytes
        self.lowSpeedSeconds = lowSpeedSeconds
    }
}

/// One libcurl easy handle; reusable for many requests (its connections are kept).
public final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    private var headerList: CurlHeaderList?
    private var receiver: HTTPResponseReceiver?
    private var pendingHead = HTTPResponseHead()
    private var headDelivered = false
    /// The head of the last response (status 0 when none arrived).
    public private(set) var responseHead = HTTPResponseHead()
    /// Body bytes received for the current request.
    public private(set) var bodyBytesReceived = 0

    public init(bufferSize: Int = 256 << 10) throws {
        CurlLibrary.ensureInitialised()
        guard let raw = curl_easy_init() else { throw HTTPError(code: -1, message: "curl_easy_init failed", isRetryable: false) }
        self.raw = raw
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_long(raw, CURLOPT_PATH_AS_IS, 1)
        ccurl_easy_setopt_long(raw, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_easy_setopt_long(raw, CURLOPT_TCP_NODELAY, 1)
        ccurl_easy_setopt_long(raw, CURLOPT_BUFFERSIZE, bufferSize)
        ccurl_easy_setopt_long(raw, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_easy_setopt_pointer(raw, CURLOPT_PRIVATE, me)
        ccurl_easy_setopt_pointer(raw, CURLOPT_WRITEDATA, me)
        ccurl_easy_setopt_pointer(raw, CURLOPT_HEADERDATA, me)
        ccurl_easy_setopt_write_function(raw) { data, size, count, user in
            guard let user else { return 0 }
            let handle = Unmanaged<EasyHandle>.fromOpaque(user).takeUnretainedValue()
            return handle.body(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        ccurl_easy_setopt_header_function(raw) { data, size, count, user in
            guard let user else { return 0 }
            let handle = Unmanaged<EasyHandle>.fromOpaque(user).takeUnretainedValue()
            return handle.headerLine(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
    }

    deinit { curl_easy_cleanup(raw) }

    /// Sets up the next request; the receiver is held until the next `prepare`.
    public func prepare(_ request: HTTPRequest, receiver: HTTPResponseReceiver, timeouts: HTTPTimeouts = HTTPTimeouts()) {
        self.receiver = receiver
        pendingHead = HTTPResponseHead()
        responseHead = HTTPResponseHead()
        headDelivered = false
        bodyBytesReceived = 0
        ccurl_easy_setopt_string(raw, CURLOPT_URL, request.url)
        ccurl_easy_setopt_long(raw, CURLOPT_HTTPGET, 1)
        ccurl_easy_setopt_long(raw, CURLOPT_NOBODY, request.method == "HEAD" ? 1 : 0)
        if let body = request.body {
            ccurl_easy_setopt_off(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { _ = ccurl_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        let custom = request.method == "GET" || request.method == "HEAD" || (request.method == "POST" && request.body != nil)
        ccurl_easy_setopt_string(raw, CURLOPT_CUSTOMREQUEST, custom ? nil : request.method)
        let list = CurlHeaderList(request.headers)
        headerList = list
        ccurl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list.pointer)
        ccurl_easy_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Int(timeouts.connect * 1000))
        ccurl_easy_setopt_long(raw, CURLOPT_LOW_SPEED_LIMIT, timeouts.lowSpeedBytes)
        ccurl_easy_setopt_long(raw, CURLOPT_LOW_SPEED_TIME, timeouts.lowSpeedSeconds)
    }

    /// Runs the prepared request to the end on this thread.
    public func perform() -> HTTPError? {
        finish(curl_easy_perform(raw))
    }

    /// Drops the receiver after a transfer ends (so it can be freed).
    func releaseReceiver() { receiver = nil }

    /// Maps a finished transfer's CURLcode to nil (success) or the error.
    func finish(_ code: CURLcode) -> HTTPError? {
        var status = 0
        ccurl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        if responseHead.status == 0 { responseHead.status = status }
        guard code != CURLE_OK else { return nil }
        return HTTPError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)),
                         isRetryable: Self.retryableCodes.contains(code.rawValue))
    }

    private static let retryableCodes: Set<UInt32> = [
        CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_PARTIAL_FILE, CURLE_OPERATION_TIMEDOUT,
        CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM,
        CURLE_SSL_CONNECT_ERROR,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    private func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !headDelivered, !deliverHead() { return false }
        bodyBytesReceived += bytes.count
        return receiver?.receiveBody(bytes) ?? false
    }

    private func deliverHead() -> Bool {
        headDelivered = true
        responseHead = pendingHead
        return receiver?.receiveHead(pendingHead) ?? false
    }

    private func headerLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\r\n" || last == "\n" || last == "\r" { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            pendingHead = HTTPResponseHead(status: parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
            return true
        }
        if line.isEmpty {
            // End of a head; 1xx heads are followed by the real one.
            if pendingHead.status >= 200, !headDelivered { return deliverHead() }
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        pendingHead.headers[name] = String(value)
        return true
    }
}

/// Collects a (small) body in memory, up to a limit.
public final class BufferedResponse: HTTPResponseReceiver {
    public private(set) var head = HTTPResponseHead()
    public private(set) var body: [UInt8] = []
    public let limit: Int
    /// The body was longer than `limit` and was cut.
    public private(set) var truncated = false

    public init(limit: Int = 64 << 20) { self.limit = limit }

    public func receiveHead(_ head: HTTPResponseHead) -> Bool {
        self.head = head
        body.removeAll(keepingCapacity: true)
        return true
    }

    public func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let room = limit - body.count
        if bytes.count > room { truncated = true }
        body.append(contentsOf: bytes.prefix(max(0, room)))
        return true
    }
}
