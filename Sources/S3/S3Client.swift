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

/// A client for one endpoint and one credentials provider. Not thread-safe: use it from one thread.
public final class S3Client {
    public let configuration: S3Configuration
    /// Told about each retry (for logs); never given a secret.
    public var onRetry: ((String) -> Void)?
    /// Told once per bucket found in another region than configured (for info logs).
    public var onRegionChange: ((String) -> Void)?
    private var easy: EasyHandle?
    /// Regions learned from redirects, by bucket; remembered for the run.
    private var bucketRegions: [String: String] = [:]

    public init(configuration: S3Configuration) {
        self.configuration = configuration
    }

    /// The region requests for `bucket` are signed for.
    public func region(for bucket: String) -> String {
        bucketRegions[bucket] ?? configuration.region
    }

    /// Remembers that `bucket` lives in `region`; returns false when that was already known.
    @discardableResult
    public func learnRegion(_ region: String, for bucket: String) -> Bool {
        let previous = self.region(for: bucket)
        guard previous != region else { return false }
        bucketRegions[bucket] = region
        onRegionChange?("s3://\(bucket) is in \(region), not \(previous): signing its requests for \(region) from now on")
        return true
    }

    /// The bucket's region when an error answer says the request went to the wrong one:
    /// 301 PermanentRedirect (x-amz-bucket-region) or 400 AuthorizationHeaderMalformed (`<Region>`).
    public static func redirectRegion(status: Int, head: HTTPResponseHead, body: [UInt8]) -> String? {
        guard status == 301 || status == 307 || status == 400 else { return nil }
        if let region = head["x-amz-bucket-region"], !region.isEmpty { return region }
        let scanner = XMLScanner(body)
        guard let region = scanner.text("Region"), !region.isEmpty else { return nil }
        return region
    }

    /// A signed request for a bucket (key nil) or an object, with the current credentials and
    /// the bucket's region.
    public func request(method: String = "GET", bucket: String, key: String?, query: [(String, String)] = [],
                        headers: [HTTPHeader] = [], body: [UInt8]? = nil, date: AmzDate = .now()) throws -> HTTPRequest {
        let region = region(for: bucket)
        let endpoint = configuration.endpointFollowsRegion ? S3Endpoint.aws(region: region) : configuration.endpoint
        let (host, path) = endpoint.location(bucket: bucket, key: key)
        let canonicalQuery = SigV4Signer.canonicalQuery(query)
        let payloadHash = body.map { SigV4Signer.hex(SHA256.hash(data: $0)) } ?? SigV4Signer.emptyPayloadHash
        var headers = headers
        if let payer = configuration.requestPayer { headers.append(HTTPHeader("x-amz-request-payer", payer)) }
        let signer = SigV4Signer(credentials: try configuration.credentials.current(), region: region, service: "s3")
        let signing = signer.signingHeaders(method: method, host: host, canonicalPath: path, query: query,
                                            headers: headers, payloadHash: payloadHash, date: date)
        let url = "\(endpoint.scheme)://\(host)\(path)" + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
        return HTTPRequest(method: method, url: url, headers: headers + signing, body: body)
    }

    /// Creates a bucket (an existing one of ours is fine).
    public func createBucket(_ bucket: String) throws {
        do {
            _ = try send(bucket: bucket) { try self.request(method: "PUT", bucket: bucket, key: nil, body: []) }
        } catch S3Error.service(_, let code, _) where code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
        }
    }

    /// Uploads one object in a single PUT; returns its ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8]) throws -> String {
        let response = try send(bucket: bucket) {
            try self.request(method: "PUT", bucket: bucket, key: key,
                         headers: [HTTPHeader("Content-Type", "application/octet-stream")], body: body)
        }
        return (response.head["etag"] ?? "").trimmingCharacters(quote: "\"")
    }

    /// A signed RestoreObject request for an archived object: a copy for `days` (GLACIER,
    /// DEEP_ARCHIVE), or back to the access tiers when `days` is nil (Intelligent-Tiering).
    public func restoreRequest(bucket: String, key: String, days: Int?, tier: RestoreTier) throws -> HTTPRequest {
        let body = Array(("<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + (days.map { "<Days>\($0)</Days>" } ?? "")
            + "<GlacierJobParameters><Tier>\(tier.rawValue)</Tier></GlacierJobParameters></RestoreRequest>").utf8)
        return try request(method: "POST", bucket: bucket, key: key, query: [("restore", "")],
                           headers: [HTTPHeader("Content-Type", "application/xml")], body: body)
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
            let response = try send(bucket: bucket) { try self.request(bucket: bucket, key: nil, query: query) }
            let page = try ListObjectsPage(xml: response.body)
            try handle(page)
            token = page.nextContinuationToken
        } while token != nil
    }

    /// Sends a request built afresh for each attempt; retries transport failures and 5xx/SlowDown
    /// answers with backoff, and follows a wrong-region answer for `bucket` once, re-signed for
    /// the bucket's region. Returns a 2xx response; throws S3Error otherwise.
    public func send(bucket: String? = nil, _ makeRequest: () throws -> HTTPRequest) throws -> BufferedResponse {
        let easy = try self.easy ?? EasyHandle()
        self.easy = easy
        var attempt = 0
        var followedRedirect = false
        while true {
            attempt += 1
            let response = BufferedResponse()
            easy.prepare(try makeRequest(), receiver: response)
            let failure: S3Error
            var retryable: Bool
            if let error = easy.perform() {
                failure = .transport(error.message)
                retryable = error.isRetryable
            } else if (200..<300).contains(response.head.status) {
                return response
            } else {
                let status = response.head.status
                if let bucket, !followedRedirect, let region = Self.redirectRegion(status: status, head: response.head, body: response.body) {
                    followedRedirect = true
                    if learnRegion(region, for: bucket) {
                        attempt -= 1
                        continue
                    }
                }
                let body = S3ErrorBody(xml: response.body)
                failure = try Self.classify(status: status, body: body)
                retryable = Self.isRetryable(status: status, code: body.code)
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
