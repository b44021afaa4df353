// S3Client: signed requests to one S3 endpoint — building them (for the parallel downloader)
// and sending single ones with retries (ListObjectsV2).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import HTTP
import Records

/// A client for one endpoint and one set of credentials. Not thread-safe: use it from one thread.
public final class S3Client {
    public let configuration: S3Configuration
    public let signer: SigV4Signer
    /// Told about each retry (for logs); never given a secret.
    public var onRetry: ((String) -> Void)?
    private var easy: EasyHandle?

    public init(configuration: S3Configuration) {
        self.configuration = configuration
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
    }

    /// A signed request for a bucket (key nil) or an object.
    public func request(method: String = "GET", bucket: String, key: String?, query: [(String, String)] = [],
                        headers: [HTTPHeader] = [], body: [UInt8]? = nil, date: AmzDate = .now()) -> HTTPRequest {
        let endpoint = configuration.endpoint
        let (host, path) = endpoint.location(bucket: bucket, key: key)
        let canonicalQuery = SigV4Signer.canonicalQuery(query)
        let payloadHash = body.map { SigV4Signer.hex(SHA256.hash(data: $0)) } ?? SigV4Signer.emptyPayloadHash
        let signing = signer.signingHeaders(method: method, host: host, canonicalPath: path, query: query,
                                            headers: headers, payloadHash: payloadHash, date: date)
        let url = "\(endpoint.scheme)://\(host)\(path)" + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
        return HTTPRequest(method: method, url: url, headers: headers + signing, body: body)
    }

    /// Creates a bucket (an existing one of ours is fine).
    public func createBucket(_ bucket: String) throws {
        do {
            _ = try send { self.request(method: "PUT", bucket: bucket, key: nil, body: []) }
        } catch S3Error.service(_, let code, _) where code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
        }
    }

    /// Uploads one object in a single PUT; returns its ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8]) throws -> String {
        let response = try send {
            self.request(method: "PUT", bucket: bucket, key: key,
                         headers: [HTTPHeader("Content-Type", "application/octet-stream")], body: body)
        }
        return (response.head["etag"] ?? "").trimmingCharacters(quote: "\"")
    }

    /// Lists every object under `prefix` (recursively, unless `delimiter` is given), one page at
    /// a time, following continuation tokens.
    public func listObjects(bucket: String, prefix: String, delimiter: String? = nil, maxKeys: Int = 1000,
                            page handle: (ListObjectsPage) throws -> Void) throws {
        var token: String?
        repeat {
            var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("prefix", prefix),
                                             ("max-keys", String(maxKeys))]
            if let delimiter { query.append(("delimiter", delimiter)) }
            if let token { query.append(("continuation-token", token)) }
            let response = try send { self.request(bucket: bucket, key: nil, query: query) }
            let page = try ListObjectsPage(xml: response.body)
            try handle(page)
            token = page.nextContinuationToken
        } while token != nil
    }

    /// Sends a request built afresh for each attempt; retries transport failures and 5xx/SlowDown
    /// answers with backoff. Returns a 2xx response; throws S3Error otherwise.
    public func send(_ makeRequest: () -> HTTPRequest) throws -> BufferedResponse {
        let easy = try self.easy ?? EasyHandle()
        self.easy = easy
        var attempt = 0
        while true {
            attempt += 1
            let response = BufferedResponse()
            easy.prepare(makeRequest(), receiver: response)
            let failure: S3Error
            var retryable: Bool
            if let error = easy.perform() {
                failure = .transport(error.message)
                retryable = error.isRetryable
            } else if (200..<300).contains(response.head.status) {
                return response
            } else {
                let body = S3ErrorBody(xml: response.body)
                failure = try Self.classify(status: response.head.status, body: body)
                retryable = Self.isRetryable(status: response.head.status, code: body.code)
            }
            guard retryable, configuration.retry.allowsRetry(afterAttempt: attempt) else { throw failure }
            let delay = configuration.retry.delay(beforeRetry: attempt)
            onRetry?("\(failure); retry \(attempt) in \(Int(delay * 1000)) ms")
            usleep(UInt32(delay * 1_000_000))
        }
    }

    /// The error for a non-2xx answer; expired credentials are thrown at once (fatal).
    static func classify(status: Int, body: S3ErrorBody) throws -> S3Error {
        if status == 403 || status == 400, S3Error.expiredCodes.contains(body.code) {
            throw S3Error.credentialsExpired(body.code)
        }
        return .service(status: status, code: body.code.isEmpty ? "HTTP\(status)" : body.code, message: body.message)
    }

    /// Answers worth another try: server errors and throttling.
    public static func isRetryable(status: Int, code: String) -> Bool {
        if status >= 500 || status == 429 { return true }
        return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
                "RequestTimeTooSkewed"].contains(code)
    }
}

extension String {
    func trimmingCharacters(quote: Character) -> String {
        var text = Substring(self)
        if text.first == quote { text = text.dropFirst() }
        if text.last == quote { text = text.dropLast() }
        return String(text)
    }
}
