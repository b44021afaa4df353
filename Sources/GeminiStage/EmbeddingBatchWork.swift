// EmbeddingBatchWork: embed --batch — each record's text as one EmbedContentRequest of an
// asyncBatchEmbedContent job, and each result's vector checked, normalised when truncated and
// written as the single calls write theirs (inline, or a row of the --vectors file).
import Gemini
import Records
import ToolSupport

public struct EmbeddingBatchWork: BatchWork {
    public let embedder: Embedder
    public let output: EmbeddingOutput

    public init(embedder: Embedder, output: EmbeddingOutput) {
        self.embedder = embedder
        self.output = output
    }

    public var stage: String { Embedder.stage }
    /// Embeddings have no structured output, so no json_object follow-up.
    public var usesStructuredOutput: Bool { false }
    public var modelID: String { embedder.model.id }
    public var batchMethod: String { "asyncBatchEmbedContent" }

    public func checkModel(endpoint: GeminiEndpoint) throws {
        try embedder.checkModel(endpoint: endpoint)
    }

    public func batchRequest(for records: [Record], wire: BatchWire) -> Result<JSONValue, RecordError> {
        guard let text = embedder.text.text(of: records[0]) else { return .failure(embedder.text.missingError(stage: stage)) }
        return .success(wire.body(embedding: embedder.request(texts: [text]), text: text))
    }

    public func batchOutcome(_ records: [Record], response: JSONValue, wire: BatchWire, usage: inout TokenUsage) throws -> [Record] {
        [try outcome(records[0], response: response, wire: wire, usage: &usage)]
    }

    func outcome(_ record: Record, response: JSONValue, wire: BatchWire, usage: inout TokenUsage) throws -> Record {
        guard let text = embedder.text.text(of: record) else { return embedder.text.missing(record, stage: stage) }
        let request = embedder.request(texts: [text])
        let answer: (vector: [Float], tokens: Int?, emulated: Bool)
        do {
            answer = try wire.embedding(response, request: request)
        } catch {
            var out = record
            out.setError(RecordError(stage: stage, code: "bad_response", message: "\(error)", retryable: true))
            return out
        }
        usage.inputTokens += answer.tokens ?? request.estimatedInputTokens
        do {
            return try output.embedded([(record, text, answer.vector)], emulated: answer.emulated)[0]
        } catch {
            throw ToolError("cannot write the vectors file: \(error)")
        }
    }

    public func batchSummary(_ usage: TokenUsage) -> String {
        "about \(usage.inputTokens) input tokens; Batch Mode: "
            + embedder.costText(tokens: usage.inputTokens, batchMode: true)
    }
}
