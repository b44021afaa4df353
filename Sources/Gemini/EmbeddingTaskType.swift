// EmbeddingTaskType: the taskType values of embedContent (gemini-api.md §5.2); the model
// shapes its vectors for the task.

/// What the vectors will be used for.
public enum EmbeddingTaskType: String, Sendable, CaseIterable {
    case retrievalQuery = "RETRIEVAL_QUERY"
    case retrievalDocument = "RETRIEVAL_DOCUMENT"
    case semanticSimilarity = "SEMANTIC_SIMILARITY"
    case classification = "CLASSIFICATION"
    case clustering = "CLUSTERING"
    case questionAnswering = "QUESTION_ANSWERING"
    case factVerification = "FACT_VERIFICATION"
    case codeRetrievalQuery = "CODE_RETRIEVAL_QUERY"
}
