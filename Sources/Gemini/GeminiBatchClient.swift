// GeminiBatchClient: the calls of Batch Mode (gemini-api.md §3.3, §4): resumable upload of the
// JSONL input through the Files API, batchGenerateContent over that file or inline requests,
// polling batches/N, and the download
// of the results file. One request at a time on one libcurl handle; retried on 429/5xx and
// dropped connections, except the create, which is not idempotent (a retry could pay twice).
import HTTP
import Posix
import Records

/// A batch job as the service reports it.
public struct BatchJobStatus: Sendable, Equatable {
    /// `batches/123`.
    public var name: String
    /// `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELLED`, `EXPIRED` (the wire's
    /// BATCH_STATE_ or JOB_STATE_ prefix removed).
    public var state: String
    public var requestCount: Int
    public var succeeded: Int
    public var failed: Int
    public var pending: Int
    /// Where the results are: a generated file (`files/batch-123`) or inline results.
    public var responsesFile: String?
    /// A second results file for the requests that failed (OpenAI-style batches).
    public var errorsFile: String?
    public var inlinedResponses: [JSONValue]?
    public var errorMessage: String?
    /// The name the job was created with (BatchRunner derives it from the job's input).
    public var displayName: String?

    public static let terminalStates: Set<String> = ["SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"]
    public var isFinished: Bool { Self.terminalStates.contains(state) }

    public init(json: JSONValue) {
        let metadata = json["metadata"]
        name = json["name"]?.stringValue ?? metadata?["name"]?.stringValue ?? ""
        var state = metadata?["state"]?.stringValue ?? "UNSPECIFIED"
        for prefix in ["BATCH_STATE_", "JOB_STATE_"] where state.hasPrefix(prefix) { state.removeFirst(prefix.count) }
        self.state = state
        let stats = metadata?["batchStats"]
        func count(_ field: String) -> Int { stats?[field].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } ?? 0 }
        requestCount = count("requestCount")
        succeeded = count("successfulRequestCount")
        failed = count("failedRequestCount")
        pending = count("pendingRequestCount")
        // The docs read `response`, python-genai `metadata.output`: either will do.
        let output = json["response"] ?? metadata?["output"]
        responsesFile = output?["responsesFile"]?.stringValue
        inlinedResponses = (output?["inlinedResponses"] ?? output?["inlinedEmbedContentResponses"])?["inlinedResponses"]?.arrayValue
        errorMessage = json["error"]?["message"]?.stringValue
        displayName = metadata?["displayName"]?.stringValue
    }
}

public struct GeminiBatchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// A key or quota problem no retry fixes: the run must stop.
    public var stopsRun: Bool
    /// The HTTP status of a refused call (nil: no answer, or not an HTTP problem).
    public var httpStatus: Int? = nil
}

public final class GeminiBatchClient: BatchClient {
    public let endpoint: GeminiEndpoint
    private let transport: BatchTransport

    public init(endpoint: GeminiEndpoint, retryPolicy: RetryPolicy) throws {
        self.endpoint = endpoint
        transport = try BatchTransport(retryPolicy: retryPolicy, keyVariables: endpoint.provider.keyVariables)
    }

    /// Uploads a file with the resumable protocol in 8 MiB chunks; returns its name (`files/…`).
    public func uploadFile(path: String, displayName: String, mimeType: String, chunkSize: Int = 8 << 20) throws -> String {
        let file: FileDescriptor
        do throws(SystemError) { file = try FileDescriptor.open(path, .read) } catch {
            throw GeminiBatchError(description: "cannot read \(path): \(error.reason)", stopsRun: true)
        }
        let size: Int
        do throws(SystemError) { size = try file.status().size } catch {
            throw GeminiBatchError(description: "cannot read \(path): \(error.reason)", stopsRun: true)
        }
        let start = HTTPRequest(method: "POST", url: "\(endpoint.baseURL)/upload/\(endpoint.apiVersion)/files",
                                headers: endpoint.headers + [
                                    HTTPHeader("X-Goog-Upload-Protocol", "resumable"), HTTPHeader("X-Goog-Upload-Command", "start"),
                                    HTTPHeader("X-Goog-Upload-Header-Content-Length", String(size)),
                                    HTTPHeader("X-Goog-Upload-Header-Content-Type", mimeType),
                                ],
                                body: Array(JSONSerializer.string(JSONValue.object(["file": ["display_name": .string(displayName)]])).utf8))
        let (head, _) = try send(start, retrying: true)
        guard let answeredURL = head["x-goog-upload-url"] else {
            throw GeminiBatchError(description: "the upload start answer had no X-Goog-Upload-URL header", stopsRun: true)
        }
        let uploadURL = try endpoint.checkedURL(fromAnswer: answeredURL)
        var offset = 0
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        repeat {
            let count = min(chunkSize, size - offset)
            do throws(SystemError) {
                let got = try file.readFully(into: &chunk, count: count, at: offset)
                guard got == count else { throw SystemError.fileShrank("read", path: path) }
            } catch {
                throw GeminiBatchError(description: "cannot read \(path): \(error.reason)", stopsRun: true)
            }
            let last = offset + count == size
            let request = HTTPRequest(method: "POST", url: uploadURL,
                                      headers: endpoint.headers + [
                                          HTTPHeader("X-Goog-Upload-Command", last ? "upload, finalize" : "upload"),
                                          HTTPHeader("X-Goog-Upload-Offset", String(offset)),
                                      ],
                                      body: Array(chunk[0..<count]))
            let (_, body) = try send(request, retrying: true)
            offset += count
            if last {
                guard let name = (try? JSONParser.parse(body))?["file"]?["name"]?.stringValue else {
                    throw GeminiBatchError(description: "the upload's final answer names no file", stopsRun: true)
                }
                return name
            }
        } while true
    }

    /// The create call's body (gemini-api.md §4.1, §4.2).
    public static func createBody(input: BatchInput, displayName: String) -> [UInt8] {
        let inputConfig: JSONValue
        switch input {
        case .file(let name): inputConfig = ["fileName": .string(name)]
        case .requests(let requests): inputConfig = ["requests": ["requests": .array(requests)]]
        }
        let body: JSONValue = ["batch": ["displayName": .string(displayName), "inputConfig": inputConfig]]
        return Array(JSONSerializer.string(body).utf8)
    }

    /// Creates a job with `method` (batchGenerateContent, or asyncBatchEmbedContent for
    /// embeddings) over `body` (createBody). Not retried: a second create is a second job.
    public func createBatch(model: String, method: String = "batchGenerateContent", body: [UInt8]) throws -> BatchJobStatus {
        let request = HTTPRequest(method: "POST", url: endpoint.url(model: model, method: method), headers: endpoint.headers, body: body)
        return BatchJobStatus(json: try parse(try send(request, retrying: false).1))
    }

    public var takesInlineRequests: Bool { true }
    /// JSONL input files are kept under the Files API's 2 GB per file.
    public var maximumFileBytes: Int { 1_900_000_000 }
    public var maximumRequests: Int? { nil }

    public func requestLine(key: String, body: JSONValue, method: String) -> JSONValue {
        ["key": .string(key), "request": body]
    }

    public func uploadFile(path: String, displayName: String) throws -> String {
        try uploadFile(path: path, displayName: displayName + ".jsonl", mimeType: "application/jsonl")
    }

    public func createBatch(input: BatchInput, displayName: String, model: String, method: String) throws -> BatchJobStatus {
        try createBatch(model: model, method: method, body: Self.createBody(input: input, displayName: displayName))
    }

    /// A line of the results file (`{"key", "response"|"error"}`) or an inline result
    /// (`{"metadata": {"key"}, "response"|"error"}`; no key: matched by its place).
    public func result(line json: JSONValue) -> (key: String?, result: BatchItemResult) {
        let key = json["key"]?.stringValue ?? json["metadata"]?["key"]?.stringValue
        if let response = json["response"] { return (key, .response(response)) }
        let status = json["error"]?["status"]?.stringValue ?? "UNKNOWN"
        let message = json["error"]?["message"]?.stringValue ?? "no response"
        let permanent = ["INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED", "NOT_FOUND"].contains(status)
        return (key, .failure(status: status, message: message, permanent: permanent))
    }

    public func batch(named name: String) throws -> BatchJobStatus {
        let request = HTTPRequest(url: "\(endpoint.baseURL)/\(endpoint.apiVersion)/\(name)", headers: endpoint.headers)
        return BatchJobStatus(json: try parse(try send(request, retrying: true).1))
    }

    /// Every job that is not FAILED, CANCELLED or EXPIRED (a SUCCEEDED one still holds its
    /// results), paging through `GET batches`.
    public func liveBatches() throws -> [BatchJobStatus] {
        var jobs: [BatchJobStatus] = []
        var token: String?
        repeat {
            var url = "\(endpoint.baseURL)/\(endpoint.apiVersion)/batches?pageSize=100"
            if let token { url += "&pageToken=" + URIEncoding.encode(token) }
            let page = try parse(try send(HTTPRequest(url: url, headers: endpoint.headers), retrying: true).1)
            for operation in page["operations"]?.arrayValue ?? [] {
                let job = BatchJobStatus(json: operation)
                if job.state == "SUCCEEDED" || !job.isFinished { jobs.append(job) }
            }
            token = page["nextPageToken"]?.stringValue
        } while !(token ?? "").isEmpty
        return jobs
    }

    /// Downloads a generated file (the results) into `path`, through a temporary file.
    public func download(fileName: String, to path: String) throws {
        let url = "\(endpoint.baseURL)/download/\(endpoint.apiVersion)/\(fileName):download?alt=media"
        let (_, body) = try send(HTTPRequest(url: url, headers: endpoint.headers), retrying: true, limit: 1 << 30)
        do throws(SystemError) {
            try FileSystem.writeAtomically(body, to: path, sync: false)
        } catch {
            throw GeminiBatchError(description: "cannot write \(path): \(error.reason)", stopsRun: true)
        }
    }

    private func send(_ request: HTTPRequest, retrying: Bool, limit: Int = 64 << 20) throws -> (HTTPResponseHead, [UInt8]) {
        try transport.send(request, retrying: retrying, limit: limit)
    }

    private func parse(_ body: [UInt8]) throws -> JSONValue { try BatchTransport.parse(body) }
}

extension GeminiBatchError: UserFacingError {
    public var message: String { description }
}
