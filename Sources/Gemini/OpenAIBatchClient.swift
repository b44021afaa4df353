// OpenAIBatchClient: the OpenAI-style Batch API (gemini-api.md §7) behind BatchClient — the JSONL
// input uploaded as multipart/form-data to /files (purpose batch), /batches over it with the
// online endpoint (/v1/chat/completions or /v1/embeddings) and the job's display name in its
// metadata (OpenAI batches have no name of their own), polling /batches/ID, the paged list to
// adopt a job by that name, and /files/ID/content for the output and error files. No inline
// requests (the API has none); at most 50,000 requests and 200 MB per file.
import Foundation
import HTTP
import Posix
import Records

public final class OpenAIBatchClient: BatchClient {
    public let endpoint: GeminiEndpoint
    private let transport: BatchTransport
    /// The metadata key that carries BatchRunner's display name.
    static let nameKey = "display_name"

    public init(endpoint: GeminiEndpoint, retryPolicy: RetryPolicy) throws {
        self.endpoint = endpoint
        transport = try BatchTransport(retryPolicy: retryPolicy, keyVariables: endpoint.provider.keyVariables)
    }

    public var takesInlineRequests: Bool { false }
    public var maximumFileBytes: Int { 190_000_000 }
    public var maximumRequests: Int? { 50_000 }

    /// The online path of a work's method (what each line's `url` and the create's `endpoint` say).
    static func path(method: String) -> String {
        method == "asyncBatchEmbedContent" ? "/v1/embeddings" : "/v1/chat/completions"
    }

    public func requestLine(key: String, body: JSONValue, method: String) -> JSONValue {
        ["custom_id": .string(key), "method": "POST", "url": .string(Self.path(method: method)), "body": body]
    }

    /// Whether the server offers the Batch API: `GET batches?limit=1` answers; a 404 or 405 is
    /// a server without it (vLLM, Ollama, llama.cpp's server...). Other failures throw.
    public func offersBatches() throws -> Bool {
        do {
            _ = try transport.send(HTTPRequest(url: endpoint.url(openAIPath: "batches?limit=1"), headers: endpoint.headers), retrying: true)
            return true
        } catch let error as GeminiBatchError where [404, 405].contains(error.httpStatus ?? 0) {
            return false
        }
    }

    public func uploadFile(path: String, displayName: String) throws -> String {
        let data: [UInt8]
        do throws(SystemError) {
            guard let read = try FileSystem.read(path) else { throw SystemError.fileShrank("read", path: path) }
            data = read
        } catch {
            throw GeminiBatchError(description: "cannot read \(path): \(error.reason)", stopsRun: true)
        }
        let boundary = "batch-" + UUID().uuidString
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(displayName).jsonl\"\r\n".utf8)
        body += Array("Content-Type: application/jsonl\r\n\r\n".utf8) + data + Array("\r\n--\(boundary)--\r\n".utf8)
        let headers = endpoint.headers.filter { $0.name.lowercased() != "content-type" }
            + [HTTPHeader("Content-Type", "multipart/form-data; boundary=\(boundary)")]
        let request = HTTPRequest(method: "POST", url: endpoint.url(openAIPath: "files"), headers: headers, body: body)
        guard let id = try BatchTransport.parse(try transport.send(request, retrying: true).1)["id"]?.stringValue else {
            throw GeminiBatchError(description: "the upload's answer names no file", stopsRun: true)
        }
        return id
    }

    public func createBatch(input: BatchInput, displayName: String, model: String, method: String) throws -> BatchJobStatus {
        guard case .file(let id) = input else {
            throw GeminiBatchError(description: "an OpenAI-style batch reads an uploaded file only", stopsRun: true)
        }
        let body: JSONValue = ["input_file_id": .string(id), "endpoint": .string(Self.path(method: method)), "completion_window": "24h",
                               "metadata": [Self.nameKey: .string(displayName)]]
        let request = HTTPRequest(method: "POST", url: endpoint.url(openAIPath: "batches"), headers: endpoint.headers,
                                  body: Array(JSONSerializer.string(body).utf8))
        return BatchJobStatus(openAI: try BatchTransport.parse(try transport.send(request, retrying: false).1))
    }

    public func batch(named name: String) throws -> BatchJobStatus {
        let request = HTTPRequest(url: endpoint.url(openAIPath: "batches/" + URIEncoding.encode(name)), headers: endpoint.headers)
        return BatchJobStatus(openAI: try BatchTransport.parse(try transport.send(request, retrying: true).1))
    }

    /// Pages through `GET batches?limit=100&after=LAST` while `has_more`.
    public func liveBatches() throws -> [BatchJobStatus] {
        var jobs: [BatchJobStatus] = []
        var after: String?
        repeat {
            var url = endpoint.url(openAIPath: "batches?limit=100")
            if let after { url += "&after=" + URIEncoding.encode(after) }
            let page = try BatchTransport.parse(try transport.send(HTTPRequest(url: url, headers: endpoint.headers), retrying: true).1)
            for item in page["data"]?.arrayValue ?? [] {
                let job = BatchJobStatus(openAI: item)
                if job.state == "SUCCEEDED" || !job.isFinished { jobs.append(job) }
            }
            after = page["has_more"]?.boolValue == true ? page["last_id"]?.stringValue ?? page["data"]?.arrayValue?.last?["id"]?.stringValue : nil
        } while after != nil
        return jobs
    }

    public func download(fileName: String, to path: String) throws {
        let url = endpoint.url(openAIPath: "files/" + URIEncoding.encode(fileName) + "/content")
        let (_, body) = try transport.send(HTTPRequest(url: url, headers: endpoint.headers), retrying: true, limit: 1 << 30)
        do throws(SystemError) {
            try FileSystem.writeAtomically(body, to: path, sync: false)
        } catch {
            throw GeminiBatchError(description: "cannot write \(path): \(error.reason)", stopsRun: true)
        }
    }

    /// `{"custom_id", "response": {"status_code", "body"}, "error"}`: a 2xx body is the online
    /// answer; another status or an `error` is the line's failure (a 4xx other than 429: permanent).
    public func result(line json: JSONValue) -> (key: String?, result: BatchItemResult) {
        let key = json["custom_id"]?.stringValue
        let status = json["response"]?["status_code"]?.intValue ?? 0
        if (200..<300).contains(status), let body = json["response"]?["body"] { return (key, .response(body)) }
        // `error` is set for a request that got no response (expired, cancelled); else the body's.
        let error = json["error"]?.objectValue != nil ? json["error"] : json["response"]?["body"]?["error"]
        let code = error?["code"]?.stringValue ?? error?["type"]?.stringValue ?? (status == 0 ? "no_response" : "HTTP \(status)")
        let message = error?["message"]?.stringValue ?? "no response"
        return (key, .failure(status: code, message: message, permanent: (400..<500).contains(status) && status != 429))
    }
}

extension BatchJobStatus {
    /// An OpenAI Batch object, its status in Gemini's words (validating → PENDING; in_progress,
    /// finalizing and cancelling → RUNNING; completed → SUCCEEDED; failed, expired, cancelled).
    public init(openAI json: JSONValue) {
        self.init(json: .object([:]))
        name = json["id"]?.stringValue ?? ""
        let status = json["status"]?.stringValue ?? "unknown"
        switch status {
        case "validating": state = "PENDING"
        case "in_progress", "finalizing", "cancelling": state = "RUNNING"
        case "completed": state = "SUCCEEDED"
        default: state = status.uppercased()
        }
        let counts = json["request_counts"]
        requestCount = counts?["total"]?.intValue ?? 0
        succeeded = counts?["completed"]?.intValue ?? 0
        failed = counts?["failed"]?.intValue ?? 0
        pending = max(0, requestCount - succeeded - failed)
        responsesFile = json["output_file_id"]?.stringValue
        errorsFile = json["error_file_id"]?.stringValue
        errorMessage = json["errors"]?["data"]?.arrayValue?.first.flatMap { error in
            error["message"]?.stringValue.map { message in error["line"]?.intValue.map { "line \($0): \(message)" } ?? message }
        }
        displayName = json["metadata"]?[OpenAIBatchClient.nameKey]?.stringValue
    }
}
