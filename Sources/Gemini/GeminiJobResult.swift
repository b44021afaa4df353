// GeminiJobResult: how one GeminiJob ended — an answer, or a failure for its error record.
import Records

/// How one job ended.
public enum GeminiJobResult {
    /// The model answered with parseable JSON (`value`), with its usage and finish reason.
    case answer(value: JSONValue, response: GenerateContentResponse, attempts: Int)
    /// The item failed for good: an error record with this code and message.
    case failure(code: String, message: String, retryable: Bool, usage: TokenUsage, rawText: String?)
}

extension GeminiJobResult {
    /// A Batch Mode result read as a single call's answer is, but without the call's second
    /// try (a job's answer is final; the record's error says whether a rerun may help).
    public init(batchAnswer response: GenerateContentResponse) {
        switch response.outcome {
        case .blocked(let reason):
            self = .failure(code: "blocked", message: reason, retryable: false, usage: response.usage, rawText: nil)
        case .truncated:
            self = .failure(code: "max_tokens", message: "answer cut off at the output limit (finishReason MAX_TOKENS)",
                            retryable: true, usage: response.usage, rawText: response.text)
        case .empty:
            self = .failure(code: "empty_response", message: "no candidate or no text in the answer", retryable: true,
                            usage: response.usage, rawText: nil)
        case .answer:
            do {
                self = .answer(value: try JSONExtraction.firstValue(in: response.text), response: response, attempts: 1)
            } catch {
                self = .failure(code: "invalid_json", message: "the answer is not valid JSON (\(error))", retryable: true,
                                usage: response.usage, rawText: response.text)
            }
        }
    }
}
