// BatchClient: the calls of a --batch run, one conformance per provider — Gemini's Batch Mode
// (GeminiBatchClient) and the OpenAI-style /v1/files + /v1/batches (OpenAIBatchClient) — so
// BatchRunner's chunks, state file, polling and adoption by display name serve both.
import Records

/// What a job reads: an uploaded JSONL file, or its requests inline (Gemini only:
/// `{"request", "metadata": {"key"}}` each), which saves the upload of a small input.
public enum BatchInput {
    case file(String)
    case requests([JSONValue])
}

/// One request's result in a finished job: the response body as the online call gets it, or
/// why there is none (`permanent`: a rerun would fail the same way).
public enum BatchItemResult {
    case response(JSONValue)
    case failure(status: String, message: String, permanent: Bool)
}

public protocol BatchClient: AnyObject {
    /// Whether a create may carry its requests inline (BatchInput.requests).
    var takesInlineRequests: Bool { get }
    /// The most bytes and requests one input file may hold.
    var maximumFileBytes: Int { get }
    var maximumRequests: Int? { get }
    /// The JSONL line of one request (`body`: what the online call sends) under `key`;
    /// `method` is the work's Gemini method (batchGenerateContent, asyncBatchEmbedContent).
    func requestLine(key: String, body: JSONValue, method: String) -> JSONValue
    /// Uploads a JSONL input file; returns the name or id a create takes.
    func uploadFile(path: String, displayName: String) throws -> String
    /// Creates a job (not retried: a second create is a second job), named `displayName`.
    func createBatch(input: BatchInput, displayName: String, model: String, method: String) throws -> BatchJobStatus
    func batch(named name: String) throws -> BatchJobStatus
    /// Every job that may still give results (running, or succeeded).
    func liveBatches() throws -> [BatchJobStatus]
    /// Downloads a results file into `path`.
    func download(fileName: String, to path: String) throws
    /// The key and result of a results line (or an inline result).
    func result(line: JSONValue) -> (key: String?, result: BatchItemResult)
}
