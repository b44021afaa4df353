// BatchWork: what one tool's --batch run sends for its records and makes of each answer — a
// description (gemini-describe), a vector (embed) or the categories of a pack of descriptions
// (categorize) — so one BatchRunner serves all three.
import Gemini
import Records

public protocol BatchWork {
    /// `stage` of the error records.
    var stage: String { get }
    /// The model that answers, and the call that creates a job for it
    /// (batchGenerateContent, asyncBatchEmbedContent).
    var modelID: String { get }
    var batchMethod: String { get }
    /// Records in one request: 1 (a description, a vector), or categorize's --per-request.
    var recordsPerRequest: Int { get }
    /// Fails when the model cannot be used (unknown, retired, a refused key).
    func checkModel(endpoint: GeminiEndpoint) throws
    /// A record written at once instead of sent (categorize: one without a description, as it
    /// is); nil: it is sent.
    func batchPassThrough(_ record: Record) -> Record?
    /// The request body for `records` (one, or up to `recordsPerRequest`) in the job, as
    /// `wire` spells the online call's, or the error every one of them gets.
    func batchRequest(for records: [Record], wire: BatchWire) -> Result<JSONValue, RecordError>
    /// The records a successful result (`response`, read by `wire` as online) makes of
    /// `records`, one each in their order, adding its tokens to `usage`. Throws only when the
    /// run cannot go on (a vectors file that cannot be written).
    func batchOutcome(_ records: [Record], response: JSONValue, wire: BatchWire, usage: inout TokenUsage) throws -> [Record]
    /// The summary line's tokens and cost at Batch Mode's discount.
    func batchSummary(_ usage: TokenUsage) -> String
    /// Whether its requests ask for structured output (a json_schema a server may refuse; not
    /// embeddings).
    var usesStructuredOutput: Bool { get }
}

extension BatchWork {
    public var recordsPerRequest: Int { 1 }
    public func batchPassThrough(_ record: Record) -> Record? { nil }
    public var usesStructuredOutput: Bool { true }
}
