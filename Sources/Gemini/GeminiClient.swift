// GeminiClient: many generateContent calls at once on one libcurl multi handle and one thread,
// paced under RPM/TPM limits, retried by the rules of gemini-api.md §2, each ending in exactly
// one outcome: an answer, a per-item failure, or a reason to stop the whole run.
import HTTP
import Records

/// Where and how to call the API. The key travels in the x-goog-api-key header only.
public struct GeminiEndpoint: Sendable {
    public static let googleBaseURL = "https://generativelanguage.googleapis.com"

    public var baseURL: String
    public var apiKey: String
    public var apiVersion: String

    /// Throws when the key could travel in clear text to `baseURL` (see EndpointURL.forSecrets).
    public init(baseURL: String = googleBaseURL, apiKey: String, apiVersion: String = "v1beta") throws(EndpointURLError) {
        var base = try EndpointURL.forSecrets(baseURL).normalized
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.apiVersion = apiVersion
    }

    /// Checks a URL from an answer (the Files API's upload URL) before the key goes there: it
    /// must pass the same rule and name the same server as the base URL.
    func checkedURL(fromAnswer text: String) throws -> String {
        do {
            let url = try EndpointURL.forSecrets(text)
            let base = try EndpointURL(baseURL)
            guard url.scheme == base.scheme, url.authority == base.authority else {
                throw EndpointURLError(url: text, reason: "not on the server of the base URL")
            }
            return url.normalized
        } catch {
            throw GeminiBatchError(description: "refusing the server's upload URL: \(error)", stopsRun: true)
        }
    }

    func url(model: String, method: String? = nil) -> String {
        "\(baseURL)/\(apiVersion)/models/\(model)" + (method.map { ":" + $0 } ?? "")
    }

    var headers: [HTTPHeader] {
        [HTTPHeader("x-goog-api-key", apiKey), HTTPHeader("Content-Type", "application/json"),
         HTTPHeader("Expect", "")]
    }
}

/// One call to make: `makeRequest(attempt)` builds the body for each attempt, so a retry after
/// MAX_TOKENS can ask for a larger output budget.
public struct GeminiJob {
    public var estimatedTokens: Int
    public var makeRequest: (_ outputBudgetScale: Int) -> GenerateContentRequest
    public var completion: (GeminiJobResult) -> Void

    public init(estimatedTokens: Int, makeRequest: @escaping (Int) -> GenerateContentRequest,
                completion: @escaping (GeminiJobResult) -> Void) {
        self.estimatedTokens = estimatedTokens
        self.makeRequest = makeRequest
        self.completion = completion
    }
}

/// How one job ended.
public enum GeminiJobResult {
    /// The model answered with parseable JSON (`value`), with its usage and finish reason.
    case answer(value: JSONValue, response: GenerateContentResponse, attempts: Int)
    /// The item failed for good: an error record with this code and message.
    case failure(code: String, message: String, retryable: Bool, usage: TokenUsage, rawText: String?)
}

/// Counters of a client's run, for the summary and benchmarks.
public struct GeminiCallStatistics: Sendable {
    public var requests = 0
    public var rateLimited = 0
    public var retries = 0
    public var usage = TokenUsage()
}

/// Runs GeminiJobs concurrently. Not thread-safe: one thread calls everything, and job
/// completions run on it inside `runOnce`.
public final class GeminiClient {
    public let endpoint: GeminiEndpoint
    public let model: GeminiModel
    public private(set) var statistics = GeminiCallStatistics()
    /// Set when an answer means the run cannot go on (bad key, daily quota, unknown model).
    public private(set) var stopReason: String?

    private let transfers: ParallelTransfers
    private var pacer: RequestPacer
    private let retryPolicy: RetryPolicy
    private let maximumEmptyRetries = 2
    private var queue: [PendingCall] = []
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    private struct PendingCall {
        var job: GeminiJob
        var attempt = 1
        var failures = 0
        var badAnswers = 0
        var outputScale = 1
        var notBefore: Double = 0
    }

    public init(endpoint: GeminiEndpoint, model: GeminiModel, concurrency: Int, pacer: RequestPacer,
                retryPolicy: RetryPolicy, timeouts: HTTPTimeouts = HTTPTimeouts(connect: 10, lowSpeedBytes: 1, lowSpeedSeconds: 120)) throws {
        self.endpoint = endpoint
        self.model = model
        self.pacer = pacer
        self.retryPolicy = retryPolicy
        transfers = try ParallelTransfers(concurrency: concurrency, timeouts: timeouts)
        started = clock.now
    }

    /// Seconds since the client was made (the pacer's clock).
    private var now: Double {
        let parts = started.duration(to: clock.now).components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Whether another job can be accepted: fewer waiting than there are free slots, so every
    /// slot is filled at once while no more than a slot's worth of records is read ahead.
    public var hasCapacity: Bool { stopReason == nil && queue.count < transfers.freeSlots }
    /// Nothing queued, running or waiting for a retry.
    public var isIdle: Bool { queue.isEmpty && transfers.isIdle }

    public func submit(_ job: GeminiJob) {
        queue.append(PendingCall(job: job))
    }

    /// Starts what pacing allows, waits up to `maximumWait` seconds for answers and runs the
    /// completions of finished calls.
    public func runOnce(maximumWait: Double = 0.5) throws {
        let wait = try startReadyCalls()
        try transfers.runOnce(maximumWait: min(maximumWait, max(wait, 0.001)))
    }

    /// Forgets calls not yet started (after a signal: what is in flight still finishes; the
    /// rest is done on the next run).
    public func dropQueued() {
        queue.removeAll()
    }

    /// Abandons queued and running calls (their completions never run).
    public func cancelAll() {
        queue.removeAll()
        transfers.cancelAll()
    }

    /// Starts queued calls while slots and the pacer allow; returns how long until the next
    /// one could start.
    private func startReadyCalls() throws -> Double {
        var wait = 1.0
        while stopReason == nil, transfers.freeSlots > 0, let index = queue.firstIndex(where: { $0.notBefore <= now }) {
            let call = queue[index]
            let delay = pacer.delay(tokens: call.job.estimatedTokens, now: now)
            if delay > 0 {
                wait = min(wait, delay)
                break
            }
            queue.remove(at: index)
            pacer.didStart(tokens: call.job.estimatedTokens, now: now)
            try start(call)
        }
        if let soonest = queue.map(\.notBefore).min() { wait = min(wait, max(0, soonest - now)) }
        return wait
    }

    private func start(_ call: PendingCall) throws {
        let request = call.job.makeRequest(call.outputScale)
        let receiver = BufferingReceiver()
        statistics.requests += 1
        let http = HTTPRequest(method: "POST", url: endpoint.url(model: model.id, method: "generateContent"),
                               headers: endpoint.headers, body: request.bodyBytes)
        try transfers.start(http, receiver: receiver) { [weak self] result in
            self?.finished(call, result: result, body: receiver.bytes)
        }
    }

    private func finished(_ call: PendingCall, result: HTTPTransferResult, body: [UInt8]) {
        if let error = result.error {
            return retryOrFail(call, code: "network", message: "transport: \(error.message)", serverDelay: nil,
                               retryable: error.isRetryable || result.head.status == 0)
        }
        guard result.head.status == 200 else {
            let apiError = GeminiAPIError(httpStatus: result.head.status, body: body, retryAfterHeader: result.head["retry-after"])
            switch apiError.disposition {
            case .retry(let after):
                if apiError.httpStatus == 429 {
                    statistics.rateLimited += 1
                    pacer.didGetRateLimited(retryDelay: after, now: now)
                }
                return retryOrFail(call, code: Self.code(forStatus: apiError.httpStatus), message: apiError.description,
                                   serverDelay: after, retryable: true)
            case .stopRun(let message):
                stopReason = message
                return
            case .failRecord(let code):
                return call.job.completion(.failure(code: code, message: apiError.description, retryable: false,
                                                    usage: TokenUsage(), rawText: nil))
            }
        }
        pacer.didSucceed()
        guard let json = try? JSONParser.parse(body) else {
            return retryOrFail(call, code: "bad_response", message: "the answer was not JSON", serverDelay: nil, retryable: true)
        }
        let response = GenerateContentResponse(json: json)
        statistics.usage += response.usage
        switch response.outcome {
        case .blocked(let reason):
            call.job.completion(.failure(code: "blocked", message: reason, retryable: false, usage: response.usage, rawText: nil))
        case .truncated where call.outputScale == 1:
            var next = call
            next.outputScale = 2
            requeue(next, after: 0)
        case .truncated:
            call.job.completion(.failure(code: "max_tokens", message: "answer cut off at the output limit twice (finishReason MAX_TOKENS)",
                                         retryable: true, usage: response.usage, rawText: Self.excerpt(response.text)))
        case .empty:
            badAnswer(call, code: "empty_response", message: "no candidate or no text in the answer", response: response)
        case .answer:
            do {
                let value = try JSONExtraction.firstValue(in: response.text)
                call.job.completion(.answer(value: value, response: response, attempts: call.attempt))
            } catch {
                badAnswer(call, code: "invalid_json", message: "the answer is not valid JSON (\(error))", response: response)
            }
        }
    }

    /// An answer that came back but cannot be used: asked again up to `maximumEmptyRetries`
    /// times, then an error record keeping the start of the raw text.
    private func badAnswer(_ call: PendingCall, code: String, message: String, response: GenerateContentResponse) {
        guard call.badAnswers < maximumEmptyRetries else {
            return call.job.completion(.failure(code: code, message: message, retryable: true, usage: response.usage,
                                                rawText: Self.excerpt(response.text)))
        }
        var next = call
        next.badAnswers += 1
        requeue(next, after: 0)
    }

    private func retryOrFail(_ call: PendingCall, code: String, message: String, serverDelay: Double?, retryable: Bool) {
        guard retryable, retryPolicy.allowsRetry(afterAttempt: call.failures + 1) else {
            return call.job.completion(.failure(code: code, message: "\(message) (after \(call.attempt) attempts)",
                                                retryable: true, usage: TokenUsage(), rawText: nil))
        }
        var next = call
        next.failures += 1
        let delay = max(retryPolicy.delay(beforeRetry: next.failures), serverDelay ?? 0)
        requeue(next, after: delay)
    }

    private func requeue(_ call: PendingCall, after delay: Double) {
        var next = call
        next.attempt += 1
        next.notBefore = now + delay
        statistics.retries += 1
        queue.append(next)
    }

    private static func code(forStatus status: Int) -> String {
        switch status {
        case 429: return "rate_limited"
        case 503: return "unavailable"
        case 504, 408: return "timeout"
        default: return "server_error"
        }
    }

    /// The first 2 KB of a raw answer, kept in an error record so a person can see what came back.
    static func excerpt(_ text: String) -> String {
        text.utf8.count <= 2048 ? text : String(decoding: text.utf8.prefix(2048), as: UTF8.self)
    }
}

/// Collects a whole (small) response body in memory.
final class BufferingReceiver: HTTPResponseReceiver {
    private(set) var bytes: [UInt8] = []
    private let limit: Int

    init(limit: Int = 16 << 20) { self.limit = limit }

    func receiveHead(_ head: HTTPResponseHead) -> Bool { true }

    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= limit else { return false }
        bytes.append(contentsOf: chunk)
        return true
    }
}
