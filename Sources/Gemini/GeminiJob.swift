// GeminiJob: one generateContent call for GeminiClient to make, and the callback its outcome goes to.

/// One call to make: `makeRequest(attempt)` builds the body for each attempt, so a retry after
/// MAX_TOKENS can ask for a larger output budget.
public struct GeminiJob {
    public var estimatedTokens: Int
    public var makeRequest: (_ outputBudgetScale: Int) -> GenerateContentRequest
    public var completion: (GeminiJobResult) -> Void

    public init(estimatedTokens: Int, makeRequest: @escaping (Int) -> GenerateContentRequest,
                completion: @escaping (GeminiJobResult) -> Void) {
        self.estimatedTokens = estimatedTokens
        self.makeRequest = makeRequest
        self.completion = completion
    }
}
