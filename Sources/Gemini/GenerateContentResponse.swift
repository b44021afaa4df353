// GenerateContentResponse: what the tools read from a 200 answer (docs §1.4): the joined text
// of the first candidate (thought parts left out), why it finished, a prompt block, and usage.
import Records

public struct GenerateContentResponse: Sendable, Equatable {
    /// Text of the first candidate's non-thought parts, joined; empty when there is none.
    public var text: String
    /// `STOP`, `MAX_TOKENS`, `SAFETY`, ... (nil when no candidate).
    public var finishReason: String?
    /// Set when the prompt itself was blocked (`promptFeedback.blockReason`).
    public var blockReason: String?
    public var candidateCount: Int
    public var usage: TokenUsage
    public var modelVersion: String?
    /// The answer came from the project's emulator (its responses say `"emulator": true`), not a model.
    public var emulated: Bool
    /// An OpenAI-compatible server's `message.refusal`: the model declined to answer.
    public var refusal: String?

    public init(json: JSONValue) {
        let candidates = json["candidates"]?.arrayValue ?? []
        candidateCount = candidates.count
        let first = candidates.first
        finishReason = first?["finishReason"]?.stringValue
        let parts = first?["content"]?["parts"]?.arrayValue ?? []
        text = parts.filter { $0["thought"]?.boolValue != true }.compactMap { $0["text"]?.stringValue }.joined()
        blockReason = json["promptFeedback"]?["blockReason"]?.stringValue
        let metadata = json["usageMetadata"]
        usage = TokenUsage(inputTokens: metadata?["promptTokenCount"]?.intValue ?? 0,
                           outputTokens: metadata?["candidatesTokenCount"]?.intValue ?? 0,
                           thoughtsTokens: metadata?["thoughtsTokenCount"]?.intValue ?? 0)
        modelVersion = json["modelVersion"]?.stringValue
        emulated = json["emulator"]?.boolValue == true
    }

    /// Finish reasons that mean the output was blocked, not cut or failed.
    public static let blockedFinishReasons: Set<String> = [
        "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
        "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION",
        "CONTENT_FILTER",  // an OpenAI-compatible server's finish_reason content_filter
    ]

    /// What the caller should do with this answer.
    public enum Outcome: Equatable, Sendable {
        /// Parse `text`.
        case answer
        /// Prompt or output blocked: an error record, not retried.
        case blocked(String)
        /// Cut off by the output budget: retry once with a larger budget.
        case truncated
        /// No candidate or no text: retry, then an error record.
        case empty
    }

    public var outcome: Outcome {
        if let blockReason { return .blocked("prompt blocked (\(blockReason))") }
        if let refusal { return .blocked("the model refused (\(refusal))") }
        if let reason = finishReason, Self.blockedFinishReasons.contains(reason) { return .blocked("output blocked (\(reason))") }
        if finishReason == "MAX_TOKENS" { return .truncated }
        if candidateCount == 0 || text.isEmpty { return .empty }
        return .answer
    }
}
