// ModelProvider: which wire format a model API speaks — Google's Gemini REST API, or the
// OpenAI-compatible one that vLLM, Ollama, llama.cpp's server, LM Studio, LiteLLM and Gemini's
// own compatibility layer serve (gemini-api.md §7). One client runs both; only the spelling of
// requests, answers and errors differs (see WireDialect).

public enum ModelProvider: String, Sendable, CaseIterable {
    case gemini
    case openai

    /// The environment variable the key comes from, for messages.
    public var keyVariables: String {
        switch self {
        case .gemini: return "GOOGLE_API_KEY / GEMINI_API_KEY"
        case .openai: return "OPENAI_API_KEY"
        }
    }
}
