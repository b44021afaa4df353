// GeminiJobResult: how one GeminiJob ended — an answer, or a failure for its error record.
import Records

/// How one job ended.
public enum GeminiJobResult {
    /// The model answered with parseable JSON (`value`), with its usage and finish reason.
    case answer(value: JSONValue, response: GenerateContentResponse, attempts: Int)
    /// The item failed for good: an error record with this code and message.
    case failure(code: String, message: String, retryable: Bool, usage: TokenUsage, rawText: String?)
}
