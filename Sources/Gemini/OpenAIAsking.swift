// OpenAIAsking: how an OpenAI-compatible request is spelled where servers and models differ —
// json_schema or json_object, max_tokens or max_completion_tokens, the tool's temperature or
// none. A run starts with what most servers take and, at each refusal, asks the other way for the
// rest of the run (GeminiClient) or in a follow-up job (BatchRunner, where the state file keeps
// each job's way).
public struct OpenAIAsking: Sendable, Equatable {
    public var structuredOutput = StructuredOutputMode.jsonSchema
    public var tokenLimit = TokenLimitField.maxTokens
    /// Whether the tool's temperature is sent (OpenAI's reasoning models take only their default).
    public var sendsTemperature = true

    public init(structuredOutput: StructuredOutputMode = .jsonSchema, tokenLimit: TokenLimitField = .maxTokens,
                sendsTemperature: Bool = true) {
        self.structuredOutput = structuredOutput
        self.tokenLimit = tokenLimit
        self.sendsTemperature = sendsTemperature
    }

    /// What a server refused of a request.
    public enum Refusal: String, Sendable, Comparable {
        case jsonSchema = "json_schema", maxTokens = "max_tokens", temperature

        public static func < (a: Refusal, b: Refusal) -> Bool { a.rawValue < b.rawValue }
    }

    /// The refusal an error's words make of a request asked this way: response_format or
    /// json_schema named, max_tokens refused for max_completion_tokens, the temperature refused;
    /// nil for any other error and for what this way already avoids.
    public func refusal(message: String) -> Refusal? {
        if structuredOutput == .jsonSchema, OpenAIChatRequest.namesStructuredOutput(message) { return .jsonSchema }
        if tokenLimit == .maxTokens, OpenAIChatRequest.refusesMaxTokens(message: message) { return .maxTokens }
        if sendsTemperature, OpenAIChatRequest.refusesTemperature(message: message) { return .temperature }
        return nil
    }

    /// This way, changed so the server takes what it refused.
    public func avoiding(_ refusal: Refusal) -> OpenAIAsking {
        var next = self
        switch refusal {
        case .jsonSchema: next.structuredOutput = .jsonObject
        case .maxTokens: next.tokenLimit = .maxCompletionTokens
        case .temperature: next.sendsTemperature = false
        }
        return next
    }
}
