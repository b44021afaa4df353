// GeminiBatchClient: the calls of Batch Mode (gemini-api.md §3.3, §4): resumable upload of the
// JSONL input through the Files API, batchGenerateContent over that file or inline requests,
// polling batches/N, and the download
// of the results file. One request at a time on one libcurl handle; retried on 429/5xx and
// dropped connections, except the create, which is not idempotent (a retry could pay twice).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
}

public final class GeminiBatchClient {
    public let endpoint: GeminiEndpoint
    let retryPolicy: RetryPolicy
    private let easy: EasyHandle

    public init(endpoint: GeminiEndpoint, retryPolicy: RetryPolicy) throws {
        self.endpoint = endpoint
        self.retryPolicy = retryPolicy
        easy = try EasyHandle()
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

    /// What a job reads: an uploaded JSONL file (`files/…`), or its requests inline
    /// (`{"request", "metadata": {"key"}}` each), which saves the upload of a small input.
    public enum BatchInput {
        case file(String)
        case requests([JSONValue])
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

    private func parse(_ body: [UInt8]) throws -> JSONValue {
        guard let json = try? JSONParser.parse(body) else { throw GeminiBatchError(description: "the answer was not JSON", stopsRun: false) }
        return json
    }

    /// Sends one request; 2xx returns, 429/5xx and dropped connections are retried with
    /// backoff when `retrying`, other errors throw (stopping the run for key and quota ones).
    private func send(_ request: HTTPRequest, retrying: Bool, limit: Int = 64 << 20) throws -> (HTTPResponseHead, [UInt8]) {
        var attempt = 0
        while true {
            attempt += 1
            let receiver = BufferedResponse(limit: limit)
            easy.prepare(request, receiver: receiver)
            let transport = easy.perform()
            let head = easy.responseHead
            let failure: (message: String, retryable: Bool, delay: Double?, stops: Bool)
            if let transport {
                failure = ("transport: \(transport.message)", transport.isRetryable, nil, false)
            } else if (200..<300).contains(head.status) {
                return (head, receiver.body)
            } else {
                let error = GeminiAPIError(httpStatus: head.status, body: receiver.body, retryAfterHeader: head["retry-after"])
                switch error.disposition {
                case .retry(let after): failure = (error.description, true, after, false)
                case .stopRun(let message): failure = (message, false, nil, true)
                case .failRecord: failure = (error.description, false, nil, false)
                }
            }
            guard retrying, failure.retryable, retryPolicy.allowsRetry(afterAttempt: attempt) else {
                throw GeminiBatchError(description: "\(request.method) \(Self.path(of: request.url)): \(failure.message)", stopsRun: failure.stops)
            }
            let delay = max(retryPolicy.delay(beforeRetry: attempt), failure.delay ?? 0)
            usleep(useconds_t(min(delay, 120) * 1_000_000))
        }
    }

    /// The URL without scheme, host and query (for messages; the key is never in a URL anyway).
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest)
    }
}

extension GeminiBatchError: UserFacingError {
    public var message: String { description }
}
