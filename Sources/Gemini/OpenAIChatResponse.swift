// OpenAIChatResponse: a chat completion (gemini-api.md §7) read into the same
// GenerateContentResponse the Gemini path makes, so the client and the records cannot tell the
// providers apart: finish_reason in Gemini's words (stop → STOP, length → MAX_TOKENS,
// content_filter → CONTENT_FILTER, blocked), a refusal as a block, and usage with reasoning
// tokens counted as thinking (OpenAI includes them in completion_tokens; Gemini does not).
import Records

extension GenerateContentResponse {
    public init(openAIChat json: JSONValue) {
        let choices = json["choices"]?.arrayValue ?? []
        candidateCount = choices.count
        let message = choices.first?["message"]
        if let parts = message?["content"]?.arrayValue {
            text = parts.compactMap { $0["text"]?.stringValue }.joined()
        } else {
            text = message?["content"]?.stringValue ?? ""
        }
        refusal = message?["refusal"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        finishReason = choices.first?["finish_reason"]?.stringValue.map(Self.geminiFinishReason)
        blockReason = nil
        let usage = json["usage"]
        let completion = usage?["completion_tokens"]?.intValue ?? 0
        let reasoning = usage?["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0
        self.usage = TokenUsage(inputTokens: usage?["prompt_tokens"]?.intValue ?? 0,
                                outputTokens: max(0, completion - reasoning), thoughtsTokens: reasoning)
        modelVersion = json["model"]?.stringValue
        emulated = json["emulator"]?.boolValue == true
    }

    static func geminiFinishReason(_ reason: String) -> String {
        switch reason {
        case "stop": return "STOP"
        case "length": return "MAX_TOKENS"
        default: return reason.uppercased()
        }
    }
}
