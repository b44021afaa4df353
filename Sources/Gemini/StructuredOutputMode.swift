// StructuredOutputMode: how an OpenAI-compatible server is asked for JSON — json_schema until
// the server refuses it, then json_object for the rest of the run (GeminiClient keeps the mode).

public enum StructuredOutputMode: Sendable, Equatable {
    /// `response_format: {"type": "json_schema", ...}`: the server enforces the schema.
    case jsonSchema
    /// `response_format: {"type": "json_object"}` plus the schema in the prompt; validated on arrival.
    case jsonObject
}
