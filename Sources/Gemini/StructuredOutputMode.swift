// StructuredOutputMode: how an OpenAI-compatible server is asked for JSON — json_schema until
// the server refuses it, then json_object for the rest of the run (GeminiClient keeps the mode).

public enum StructuredOutputMode: Sendable, Equatable {
    /// `response_format: {"type": "json_schema", ...}`: the server enforces the schema.
    case jsonSchema
    /// `response_format: {"type": "json_object"}` plus the schema in the prompt; validated on arrival.
    case jsonObject
}

/// The name an OpenAI-compatible request gives its output budget: `max_tokens` (what local servers
/// know) until the server refuses it, then `max_completion_tokens` (OpenAI's reasoning models,
/// gpt-5 among them, take only that) for the rest of the run.
public enum TokenLimitField: Sendable, Equatable {
    case maxTokens
    case maxCompletionTokens

    var key: String {
        switch self {
        case .maxTokens: return "max_tokens"
        case .maxCompletionTokens: return "max_completion_tokens"
        }
    }
}
