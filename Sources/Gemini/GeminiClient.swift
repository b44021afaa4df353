// GeminiClient: many generateContent and batchEmbedContents calls (or, for an OpenAI-compatible
// server, chat completions and embeddings: see WireDialect) at once on one libcurl multi handle
// and one thread, paced under RPM/TPM limits, retried by the rules of gemini-api.md §2, each
// ending in exactly one outcome: an answer, a per-item failure, or a reason to stop the run.
import HTTP
import Records

/// Runs GeminiJobs and EmbeddingJobs concurrently. Not thread-safe: one thread calls everything,
/// and job completions run on it inside `runOnce`.
public final class GeminiClient {
    public let endpoint: GeminiEndpoint
    public let model: GeminiModel
    public private(set) var statistics = GeminiCallStatistics()
    /// Set when an answer means the run cannot go on (bad key, daily quota, unknown model).
    public private(set) var stopReason: String?
    /// How OpenAI-compatible servers are asked: json_schema, max_tokens and the tool's temperature
    /// until the server refuses one, then the other way for the rest of the run.
    public private(set) var asking = OpenAIAsking()
    /// Told once for each such change (the tool writes it to stderr).
    public var notice: ((String) -> Void)?
    private let dialect: WireDialect

    private let transfers: ParallelTransfers
    private var pacer: RequestPacer
    private let retryPolicy: RetryPolicy
    private let maximumEmptyRetries = 2
    private var queue: [PendingCall] = []
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    /// What a call does: the request it sends and where its answer goes.
    private enum Work {
        case generate(GeminiJob)
        case embed(EmbeddingJob)
    }

    private struct PendingCall {
        var work: Work
        var attempt = 1
        var failures = 0
        var badAnswers = 0
        var outputScale = 1
        var notBefore: Double = 0
        /// How the last attempt was asked (a refusal resends it the other way).
        var asking = OpenAIAsking()
        /// The schema the last attempt sent, kept so its answer is checked without building the
        /// request (prompt and image) again.
        var responseSchema: JSONValue?

        var estimatedTokens: Int {
            switch work {
            case .generate(let job): return job.estimatedTokens
            case .embed(let job): return job.request.estimatedInputTokens
            }
        }
    }

    public init(endpoint: GeminiEndpoint, model: GeminiModel, concurrency: Int, pacer: RequestPacer,
                retryPolicy: RetryPolicy, timeouts: HTTPTimeouts = HTTPTimeouts(connect: 10, lowSpeedBytes: 1, lowSpeedSeconds: 120)) throws {
        self.endpoint = endpoint
        self.model = model
        self.pacer = pacer
        self.retryPolicy = retryPolicy
        dialect = WireDialect(endpoint: endpoint)
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
        queue.append(PendingCall(work: .generate(job)))
    }

    /// Queues a batchEmbedContents call (its model is the request's, not `model`).
    public func submit(_ job: EmbeddingJob) {
        queue.append(PendingCall(work: .embed(job)))
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
            let delay = pacer.delay(tokens: call.estimatedTokens, now: now)
            if delay > 0 {
                wait = min(wait, delay)
                break
            }
            queue.remove(at: index)
            pacer.didStart(tokens: call.estimatedTokens, now: now)
            try start(call)
        }
        if let soonest = queue.map(\.notBefore).min() { wait = min(wait, max(0, soonest - now)) }
        return wait
    }

    private func start(_ call: PendingCall) throws {
        var call = call
        let http: HTTPRequest
        switch call.work {
        case .generate(let job):
            let request = job.makeRequest(call.outputScale)
            call.asking = asking
            call.responseSchema = request.responseSchema
            http = dialect.generateCall(request, asking: asking)
        case .embed(let job):
            http = dialect.embedCall(job.request)
        }
        let receiver = BufferingReceiver()
        statistics.requests += 1
        try transfers.start(http, receiver: receiver) { [weak self, call] result in
            self?.finished(call, result: result, body: receiver.bytes)
        }
    }

    private func finished(_ call: PendingCall, result: HTTPTransferResult, body: [UInt8]) {
        if let error = result.error {
            return retryOrFail(call, code: "network", message: "transport: \(error.message)", serverDelay: nil,
                               retryable: error.isRetryable || result.head.status == 0)
        }
        guard result.head.status == 200 else {
            let apiError = dialect.error(status: result.head.status, body: body, retryAfter: result.head["retry-after"])
            if case .generate = call.work, let refusal = dialect.refusal(apiError, asked: call.asking) {
                return askTheOtherWay(call, avoiding: refusal, error: apiError)
            }
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
                return fail(call, code: code, message: apiError.description, retryable: false)
            }
        }
        pacer.didSucceed()
        switch call.work {
        case .generate(let job): answered(call, job: job, body: body)
        case .embed(let job): answered(call, job: job, body: body)
        }
    }

    /// The server refused something of the request (json_schema, max_tokens, the temperature):
    /// the run asks the other way from now on (said once each), and this call goes again that way
    /// without counting as a failure.
    private func askTheOtherWay(_ call: PendingCall, avoiding refusal: OpenAIAsking.Refusal, error: GeminiAPIError) {
        let next = asking.avoiding(refusal)
        if next != asking {
            asking = next
            switch refusal {
            case .jsonSchema:
                notice?("the server refused response_format json_schema (\(error.description)); asking with json_object "
                        + "and the schema in the prompt for the rest of the run, answers validated here")
            case .maxTokens:
                notice?("the server refused max_tokens (\(error.description)); sending max_completion_tokens for the rest of the run")
            case .temperature:
                notice?("the server refused the temperature (\(error.description)); leaving it to the model's default for the rest of the run")
            }
        }
        requeue(call, after: 0)
    }

    /// An embeddings answer: a vector per text, or retried like a failed call when it does not
    /// fit the request. Gemini reports no usage for embeddings: then the estimate is counted.
    private func answered(_ call: PendingCall, job: EmbeddingJob, body: [UInt8]) {
        do {
            let (response, reportedTokens) = try dialect.embedResponse(body, request: job.request)
            statistics.embeddedTexts += response.vectors.count
            statistics.usage.inputTokens += reportedTokens ?? job.request.estimatedInputTokens
            job.completion(.vectors(response.vectors, emulated: response.emulated, attempts: call.attempt))
        } catch {
            retryOrFail(call, code: "bad_response", message: "\(error)", serverDelay: nil, retryable: true)
        }
    }

    /// A generateContent answer: parsed JSON, or a retry with a larger output budget, or asked
    /// again when empty or not JSON, or an error record.
    private func answered(_ call: PendingCall, job: GeminiJob, body: [UInt8]) {
        guard let json = try? JSONParser.parse(body) else {
            return retryOrFail(call, code: "bad_response", message: "the answer was not JSON", serverDelay: nil, retryable: true)
        }
        let response = dialect.generateResponse(json)
        statistics.usage += response.usage
        switch response.outcome {
        case .blocked(let reason):
            job.completion(.failure(code: "blocked", message: reason, retryable: false, usage: response.usage, rawText: nil))
        case .truncated where call.outputScale == 1:
            var next = call
            next.outputScale = 2
            requeue(next, after: 0)
        case .truncated:
            job.completion(.failure(code: "max_tokens", message: "answer cut off at the output limit twice (finishReason MAX_TOKENS)",
                                    retryable: true, usage: response.usage, rawText: Self.excerpt(response.text)))
        case .empty:
            badAnswer(call, code: "empty_response", message: "no candidate or no text in the answer", response: response)
        case .answer:
            let value: JSONValue
            do {
                value = try JSONExtraction.firstValue(in: response.text)
            } catch {
                return badAnswer(call, code: "invalid_json", message: "the answer is not valid JSON (\(error))", response: response)
            }
            switch dialect.answerValue(value, schema: call.responseSchema, mode: call.asking.structuredOutput) {
            case .success(let value):
                job.completion(.answer(value: value, response: response, attempts: call.attempt))
            case .failure(let mismatch):
                badAnswer(call, code: "invalid_json", message: "the answer does not fit the schema (\(mismatch))", response: response)
            }
        }
    }

    /// An answer that came back but cannot be used: asked again up to `maximumEmptyRetries`
    /// times, then an error record keeping the start of the raw text.
    private func badAnswer(_ call: PendingCall, code: String, message: String, response: GenerateContentResponse) {
        guard call.badAnswers < maximumEmptyRetries else {
            return fail(call, code: code, message: message, retryable: true, usage: response.usage,
                        rawText: Self.excerpt(response.text))
        }
        var next = call
        next.badAnswers += 1
        requeue(next, after: 0)
    }

    private func retryOrFail(_ call: PendingCall, code: String, message: String, serverDelay: Double?, retryable: Bool) {
        guard retryable, retryPolicy.allowsRetry(afterAttempt: call.failures + 1) else {
            return fail(call, code: code, message: "\(message) (after \(call.attempt) attempts)", retryable: true)
        }
        var next = call
        next.failures += 1
        let delay = max(retryPolicy.delay(beforeRetry: next.failures), serverDelay ?? 0)
        requeue(next, after: delay)
    }

    /// Ends a call with a failure for its record (or for each text of an embedding call).
    private func fail(_ call: PendingCall, code: String, message: String, retryable: Bool,
                      usage: TokenUsage = TokenUsage(), rawText: String? = nil) {
        switch call.work {
        case .generate(let job):
            job.completion(.failure(code: code, message: message, retryable: retryable, usage: usage, rawText: rawText))
        case .embed(let job):
            job.completion(.failure(code: code, message: message, retryable: retryable))
        }
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
