// BatchWork: what one tool's --batch run sends for a record and makes of each answer — a
// description (gemini-describe) or a vector (embed) — so one BatchRunner serves both.
import Gemini
import Records

public protocol BatchWork {
    /// `stage` of the error records.
    var stage: String { get }
    /// The model that answers, and the call that creates a job for it
    /// (batchGenerateContent, asyncBatchEmbedContent).
    var modelID: String { get }
    var batchMethod: String { get }
    /// Fails when the model cannot be used (unknown, retired, a refused key).
    func checkModel(endpoint: GeminiEndpoint) throws
    /// The request body of one record in the job's JSONL file, or its error record.
    func batchRequest(for record: Record) -> Result<JSONValue, RecordError>
    /// The record a successful result line (`response`) makes, adding its tokens to `usage`.
    /// Throws only when the run cannot go on (a vectors file that cannot be written).
    func batchOutcome(_ record: Record, response: JSONValue, usage: inout TokenUsage) throws -> Record
    /// The summary line's tokens and cost at Batch Mode's half price.
    func batchSummary(_ usage: TokenUsage) -> String
}
