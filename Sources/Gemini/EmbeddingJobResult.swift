// EmbeddingJobResult: how one EmbeddingJob ended — a vector per text, or one failure for all
// of its texts' error records.

/// How one embedding call ended.
public enum EmbeddingJobResult {
    /// One vector per text, in the request's order; `emulated` when the project's emulator answered.
    case vectors([[Float]], emulated: Bool, attempts: Int)
    /// The texts failed for good: error records with this code and message.
    case failure(code: String, message: String, retryable: Bool)
}
