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
}

public final class ModelStage {
    public let run: ToolRun
    public let client: GeminiClient
    public let settings: GeminiSettings
    private var writeError: Error?

    public init(run: ToolRun, settings: GeminiSettings) throws {
        self.run = run
        self.settings = settings
        do {
            client = try GeminiClient(endpoint: settings.endpoint, model: settings.model, concurrency: settings.concurrency,
                                      pacer: settings.pacer, retryPolicy: settings.retryPolicy)
        } catch {
            throw ToolError("cannot set up HTTP transfers: \(error)")
        }
    }

    /// Processes every record: `prepare` makes the call for it, `apply` adds the answer to it.
    /// Returns the exit status; throws a ToolError when the run had to stop (bad key, quota).
    public func process(stage: String,
                        prepare: (Record) -> PreparedCall,
                        apply: @escaping (Record, JSONValue, GenerateContentResponse) -> Record) throws -> Int32 {
        var inputDone = false
        while true {
            while !inputDone, client.hasCapacity, !run.shouldStop {
                guard let item = try run.nextRecord() else {
                    inputDone = true
                    break
                }
                switch prepare(item.record) {
                case .fail(let error):
                    var record = item.record
                    record.setError(error)
                    try run.emit(record)
                case .call(let tokens, let makeRequest):
                    let record = item.record
                    client.submit(GeminiJob(estimatedTokens: tokens, makeRequest: makeRequest) { [unowned self] result in
                        self.complete(record, stage: stage, result: result, apply: apply)
                    })
                }
            }
            if let writeError { throw writeError }
            if client.stopReason != nil || (client.isIdle && (inputDone || run.shouldStop)) { break }
            if run.shouldStop { client.dropQueued() }  // finish what is in flight, start nothing new
            do {
                try client.runOnce(maximumWait: 0.25)
            } catch {
                throw ToolError("HTTP transfers failed: \(error)")
            }
        }
        let summary = statisticsText()
        if let reason = client.stopReason {
            client.cancelAll()
            run.finish(extraSummary: summary)
            throw ToolError("stopped: \(reason)")
        }
        return run.finish(extraSummary: summary)
    }

    private func complete(_ record: Record, stage: String, result: GeminiJobResult,
                          apply: (Record, JSONValue, GenerateContentResponse) -> Record) {
        var out = record
        switch result {
        case .answer(let value, let response, _):
            out = apply(record, value, response)
        case .failure(let code, let message, let retryable, let usage, let rawText):
            if let rawText, !rawText.isEmpty { out["raw_text"] = .string(rawText) }
            if usage != TokenUsage() { out["usage"] = Self.usageJSON(usage) }
            out.setError(RecordError(stage: stage, code: code, message: message, retryable: retryable))
        }
        do {
            try run.emit(out)
        } catch {
            writeError = writeError ?? error
        }
    }

    /// `{"input_tokens", "output_tokens", "thoughts_tokens"}`
    public static func usageJSON(_ usage: TokenUsage) -> JSONValue {
        ["input_tokens": .int(usage.inputTokens), "output_tokens": .int(usage.outputTokens),
         "thoughts_tokens": .int(usage.thoughtsTokens)]
    }

    /// Tokens, cost and call counts for the summary line.
    public func statisticsText() -> String {
        let s = client.statistics
        var text = "tokens \(s.usage.inputTokens) in / \(s.usage.outputTokens) out / \(s.usage.thoughtsTokens) thinking; "
        text += settings.costText(s.usage)
        text += "; \(s.requests) requests, \(s.retries) retried, \(s.rateLimited) rate-limited (429)"
        return text
    }
}
