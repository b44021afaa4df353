// BatchTransport: the one libcurl handle the batch clients (Gemini's and the OpenAI-style one)
// send their calls on, one at a time: 2xx returns, 429/5xx and dropped connections are retried
// with backoff when the call may be repeated (a create may not: a second create is a second job).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTP
import Records

final class BatchTransport {
    let retryPolicy: RetryPolicy
    /// Named in a refused key's message.
    let keyVariables: String
    private let easy: EasyHandle

    init(retryPolicy: RetryPolicy, keyVariables: String) throws {
        self.retryPolicy = retryPolicy
        self.keyVariables = keyVariables
        easy = try EasyHandle()
    }

    static func parse(_ body: [UInt8]) throws -> JSONValue {
        guard let json = try? JSONParser.parse(body) else { throw GeminiBatchError(description: "the answer was not JSON", stopsRun: false) }
        return json
    }

    /// Sends one request; 2xx returns, 429/5xx and dropped connections are retried with
    /// backoff when `retrying`, other errors throw (stopping the run for key and quota ones).
    func send(_ request: HTTPRequest, retrying: Bool, limit: Int = 64 << 20) throws -> (HTTPResponseHead, [UInt8]) {
        var attempt = 0
        while true {
            attempt += 1
            let receiver = BufferedResponse(limit: limit)
            easy.prepare(request, receiver: receiver)
            let transport = easy.perform()
            let head = easy.responseHead
            let failure: (message: String, retryable: Bool, delay: Double?, stops: Bool)
            if let transport {
                failure = ("transport: \(transport.message)", transport.isRetryable, nil, false)
            } else if (200..<300).contains(head.status) {
                return (head, receiver.body)
            } else {
                let error = GeminiAPIError(httpStatus: head.status, body: receiver.body, retryAfterHeader: head["retry-after"],
                                           keyVariables: keyVariables)
                switch error.disposition {
                case .retry(let after): failure = (error.description, true, after, false)
                case .stopRun(let message): failure = (message, false, nil, true)
                case .failRecord: failure = (error.description, false, nil, false)
                }
            }
            guard retrying, failure.retryable, retryPolicy.allowsRetry(afterAttempt: attempt) else {
                throw GeminiBatchError(description: "\(request.method) \(Self.path(of: request.url)): \(failure.message)", stopsRun: failure.stops,
                                       httpStatus: transport == nil ? head.status : nil)
            }
            let delay = max(retryPolicy.delay(beforeRetry: attempt), failure.delay ?? 0)
            usleep(useconds_t(min(delay, 120) * 1_000_000))
        }
    }

    /// The URL without scheme, host and query (for messages; the key is never in a URL anyway).
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest)
    }
}
