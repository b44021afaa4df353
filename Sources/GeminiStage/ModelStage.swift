// ModelStage: the record loop of the tools that call Gemini — records in, many calls in
// flight on one thread, each record out exactly once (an answer or an error record), with the
// run stopped cleanly on a signal or on an answer that means no call can succeed.
import Gemini
import HTTP
import Records
import ToolSupport

/// What to send for one record, or why it cannot be sent.
public enum PreparedCall {
    case call(estimatedTokens: Int, makeRequest: (Int) -> GenerateContentRequest)
    case fail(RecordError)
    /// Already answered (reused from a reference CSV): written as it is, no call.
    case done(Record)
}

public final class ModelStage {
    public let run: ToolRun
    public let client: GeminiClient
    public let settings: GeminiSettings
    private var writeError: Error?
    /// Records answered from a reference CSV instead of a call.
    public var reused = 0

    public init(run: ToolRun, settings: GeminiSettings) throws {
        self.run = run
        self.settings = settings
        do {
            client = try GeminiClient(endpoint: settings.endpoint, model: settings.model, concurrency: settings.concurrency,
                                      pacer: settings.pacer, retryPolicy: settings.retryPolicy)
        } catch {
            throw ToolError("cannot set up HTTP transfers: \(error)")
        }
        client.notice = { [logger = run.logger] in logger.warning("\($0)") }
    }

    /// Processes every record: `prepare` makes the call for it, `apply` adds the answer to it.
    /// Returns the exit status; throws a ToolError when the run had to stop (bad key, quota).
    public func process(stage: String,
                        prepare: (Record) -> PreparedCall,
                        apply: @escaping (Record, JSONValue, GenerateContentResponse) -> Record) throws -> Int32 {
        try drive(extraSummary: { statisticsText() }) {
            while client.hasCapacity, !run.shouldStop {
                guard let item = try run.nextRecord() else { return true }
                switch prepare(item.record) {
                case .fail(let error):
                    var record = item.record
                    record.setError(error)
                    try run.emit(record)
                case .done(let record):
                    reused += 1
                    try run.emit(record)
                case .call(let tokens, let makeRequest):
                    let record = item.record
                    client.submit(GeminiJob(estimatedTokens: tokens, makeRequest: makeRequest) { [unowned self] result in
                        self.complete(record, stage: stage, result: result, apply: apply)
                    })
                }
            }
            return false
        }
    }

    /// The loop every model tool runs: `feed` submits work while the client has capacity and
    /// returns true once the input is used up; answers are written as they arrive. After a
    /// signal nothing new starts and the calls in flight finish; after an answer that stops
    /// the run (bad key, daily quota) the summary is printed and a ToolError thrown.
    public func drive(extraSummary: () -> String, feed: () throws -> Bool) throws -> Int32 {
        var inputDone = false
        while true {
            if !inputDone, !run.shouldStop { inputDone = try feed() }
            if let writeError { throw writeError }
            if client.stopReason != nil || (client.isIdle && (inputDone || run.shouldStop)) { break }
            if run.shouldStop { client.dropQueued() }  // finish what is in flight, start nothing new
            do {
                try client.runOnce(maximumWait: 0.25)
            } catch {
                throw ToolError("HTTP transfers failed: \(error)")
            }
        }
        if let writeError { throw writeError }
        let summary = extraSummary()
        if let reason = client.stopReason {
            client.cancelAll()
            run.finish(extraSummary: summary)
            throw ToolError("stopped: \(reason)")
        }
        return run.finish(extraSummary: summary)
    }

    /// Writes a record the way completions do: a write failure ends the loop at its next turn.
    public func emit(_ record: Record) {
        do {
            try run.emit(record)
        } catch {
            writeError = writeError ?? error
        }
    }

    /// Ends the loop at its next turn with `error` (a completion's own output failed, such as
    /// a vectors file on a full disk).
    public func stop(with error: Error) {
        writeError = writeError ?? error
    }

    private func complete(_ record: Record, stage: String, result: GeminiJobResult,
                          apply: (Record, JSONValue, GenerateContentResponse) -> Record) {
        emit(Self.outcome(record, stage: stage, result: result, apply: apply))
    }

    /// The record a call's result makes: `apply`'s for an answer; for a failure, an error record
    /// keeping the usage paid and the raw answer (so a person can see what came back).
    static func outcome(_ record: Record, stage: String, result: GeminiJobResult,
                        apply: (Record, JSONValue, GenerateContentResponse) -> Record) -> Record {
        switch result {
        case .answer(let value, let response, _):
            return apply(record, value, response)
        case .failure(let code, let message, let retryable, let usage, let rawText):
            var out = record
            if let rawText, !rawText.isEmpty { out["raw_text"] = .string(rawText) }
            if usage != TokenUsage() { out["usage"] = usageJSON(usage) }
            out.setError(RecordError(stage: stage, code: code, message: message, retryable: retryable))
            return out
        }
    }

    /// Where an answer came from, on its record: `endpoint` (the API's base URL) and, for the
    /// project's emulator, `emulated: true` — so whatever is made from it can say so.
    public static func markOrigin(_ record: inout Record, response: GenerateContentResponse, endpoint: GeminiEndpoint) {
        record["endpoint"] = .string(endpoint.baseURL)
        if response.emulated { record["emulated"] = .bool(true) }
    }

    /// `{"input_tokens", "output_tokens", "thoughts_tokens"}`
    public static func usageJSON(_ usage: TokenUsage) -> JSONValue {
        ["input_tokens": .int(usage.inputTokens), "output_tokens": .int(usage.outputTokens),
         "thoughts_tokens": .int(usage.thoughtsTokens)]
    }

    /// Tokens, cost and call counts for the summary line.
    public func statisticsText() -> String {
        let s = client.statistics
        var text = reused > 0 ? "\(reused) from CSV (no call); " : ""
        text += "tokens \(s.usage.inputTokens) in / \(s.usage.outputTokens) out / \(s.usage.thoughtsTokens) thinking; "
        text += settings.costText(s.usage)
        text += "; \(s.requests) requests, \(s.retries) retried, \(s.rateLimited) rate-limited (429)"
        return text
    }
}
