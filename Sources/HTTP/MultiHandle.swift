// MultiHandle: owns one libcurl multi handle, which runs many easy handles on one thread and
// keeps their connections for reuse.
import CCurl

/// A libcurl multi handle and the easy handles currently added to it.
public final class MultiHandle {
    private let raw: UnsafeMutableRawPointer
    private var attached: [UnsafeMutableRawPointer: EasyHandle] = [:]

    /// - Parameter maximumConnectionsPerHost: parallel connections to one host (0 = no limit).
    public init(maximumConnectionsPerHost: Int = 0) throws {
        CurlLibrary.ensureInitialised()
        guard let raw = curl_multi_init() else { throw HTTPError(code: -1, message: "curl_multi_init failed", isRetryable: false) }
        self.raw = raw
        ccurl_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, maximumConnectionsPerHost)
        ccurl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, max(maximumConnectionsPerHost, 8))
    }

    deinit {
        for easy in attached.keys { curl_multi_remove_handle(raw, easy) }
        curl_multi_cleanup(raw)
    }

    public var count: Int { attached.count }

    public func add(_ easy: EasyHandle) throws {
        let code = curl_multi_add_handle(raw, easy.raw)
        guard code == CURLM_OK else { throw Self.error(code) }
        attached[easy.raw] = easy
    }

    public func remove(_ easy: EasyHandle) {
        guard attached.removeValue(forKey: easy.raw) != nil else { return }
        curl_multi_remove_handle(raw, easy.raw)
    }

    /// Moves every transfer forward as far as it can go without waiting.
    public func perform() throws {
        var running: Int32 = 0
        let code = curl_multi_perform(raw, &running)
        guard code == CURLM_OK else { throw Self.error(code) }
    }

    /// Waits until a socket is ready or `milliseconds` pass.
    public func poll(milliseconds: Int) throws {
        var ready: Int32 = 0
        let code = curl_multi_poll(raw, nil, 0, Int32(clamping: milliseconds), &ready)
        guard code == CURLM_OK else { throw Self.error(code) }
    }

    /// The transfers that ended since the last call, removed from the multi handle, each with
    /// nil (success) or its transport error.
    public func takeCompleted() -> [(EasyHandle, HTTPError?)] {
        var done: [(EasyHandle, HTTPError?)] = []
        var left: Int32 = 0
        while let message = curl_multi_info_read(raw, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easyRaw = message.pointee.easy_handle,
                  let easy = attached[easyRaw] else { continue }
            let result = ccurl_msg_result(message)
            remove(easy)
            done.append((easy, easy.finish(result)))
        }
        return done
    }

    private static func error(_ code: CURLMcode) -> HTTPError {
        HTTPError(code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)), isRetryable: false)
    }
}
