// EmbeddingJob: one batchEmbedContents call for GeminiClient to make, and the callback its
// outcome goes to.

/// One call to make: up to 100 texts, answered together.
public struct EmbeddingJob {
    public var request: BatchEmbedRequest
    public var completion: (EmbeddingJobResult) -> Void

    public init(request: BatchEmbedRequest, completion: @escaping (EmbeddingJobResult) -> Void) {
        self.request = request
        self.completion = completion
    }
}
