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

    public func batchRequest(for records: [Record], wire: BatchWire) -> Result<JSONValue, RecordError> {
        image(for: records[0]).map { wire.body(request(image: $0, outputScale: 1)) }
    }

    public func batchOutcome(_ records: [Record], response body: JSONValue, wire: BatchWire, usage: inout TokenUsage) -> [Record] {
        var out = records[0]
        let (response, result) = wire.generateResult(body, schema: schema)
        usage += response.usage
        if response.usage != TokenUsage() { out["usage"] = ModelStage.usageJSON(response.usage) }
        switch result {
        case .answer(let value, _, _):
            return [described(records[0], value: value, response: response)]
        case .failure(let code, let message, let retryable, _, let raw):
            if let raw, !raw.isEmpty { out["raw_text"] = .string(String(decoding: raw.utf8.prefix(2048), as: UTF8.self)) }
            out.setError(RecordError(stage: Self.stage, code: code, message: message, retryable: retryable))
            return [out]
        }
    }

    public func batchSummary(_ usage: TokenUsage) -> String {
        settings.batchSummary(usage)
    }
}
