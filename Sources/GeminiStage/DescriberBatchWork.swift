// Describer as BatchWork: gemini-describe --batch sends each record's image with the description
// prompt and reads each answer as the single calls read theirs.
import Gemini
import Records

extension Describer: BatchWork {
    public var stage: String { Self.stage }
    public var modelID: String { settings.model.id }
    public var batchMethod: String { "batchGenerateContent" }

    public func checkModel(endpoint: GeminiEndpoint) throws {
        try ModelCheck.check(endpoint: endpoint, model: settings.model.id)
    }

    public func batchRequest(for record: Record) -> Result<JSONValue, RecordError> {
        image(for: record).map { request(image: $0, outputScale: 1).json }
    }

    public func batchOutcome(_ record: Record, response body: JSONValue, usage: inout TokenUsage) -> Record {
        var out = record
        func fail(_ code: String, _ message: String, retryable: Bool, raw: String? = nil) -> Record {
            if let raw, !raw.isEmpty { out["raw_text"] = .string(String(decoding: raw.utf8.prefix(2048), as: UTF8.self)) }
            out.setError(RecordError(stage: Self.stage, code: code, message: message, retryable: retryable))
            return out
        }
        let response = GenerateContentResponse(json: body)
        usage += response.usage
        if response.usage != TokenUsage() { out["usage"] = ModelStage.usageJSON(response.usage) }
        switch response.outcome {
        case .blocked(let reason):
            return fail("blocked", reason, retryable: false)
        case .truncated:
            return fail("max_tokens", "answer cut off at the output limit (finishReason MAX_TOKENS)", retryable: true, raw: response.text)
        case .empty:
            return fail("empty_response", "no candidate or no text in the answer", retryable: true)
        case .answer:
            do {
                return described(record, value: try JSONExtraction.firstValue(in: response.text), response: response)
            } catch {
                return fail("invalid_json", "the answer is not valid JSON (\(error))", retryable: true, raw: response.text)
            }
        }
    }

    public func batchSummary(_ usage: TokenUsage) -> String {
        "tokens \(usage.inputTokens) in / \(usage.outputTokens) out; Batch Mode: \(settings.costText(usage, batchMode: true))"
    }
}
