// ObjectHead: one HEAD of an object (or of one part) on the downloader's transfers, retried like
// a GET (transport failures, 5xx, SlowDown) and re-signed once for the bucket's region on a
// wrong-region answer, so that only a definite answer reaches the caller as one.
import HTTP

/// What a HEAD found out.
enum HeadAnswer {
    /// 200 (or 206 for a part from SeaweedFS).
    case found(HTTPResponseHead)
    /// 404: the object (or part) is not there.
    case notFound
    /// No definite answer after the retries (or a refusal): nothing can be told about the object.
    case failed(code: String, message: String)
}

final class ObjectHead {
    let item: DownloadItem
    let partNumber: Int?
    unowned let downloader: ObjectDownloader
    private let answer: (HeadAnswer) -> Void
    private var attempts = 0
    private var redirected = false
    private lazy var withKey = downloader.customerKeyFirst
    private var keySwitched = false

    init(item: DownloadItem, partNumber: Int?, downloader: ObjectDownloader, answer: @escaping (HeadAnswer) -> Void) {
        self.item = item
        self.partNumber = partNumber
        self.downloader = downloader
        self.answer = answer
    }

    private var name: String { "s3://\(item.bucket)/\(item.key)" + (partNumber.map { " (part \($0))" } ?? "") }

    func start() {
        attempts += 1
        let query = partNumber.map { [("partNumber", String($0))] } ?? []
        let response = BufferedResponse(limit: 0)
        do {
            let request = try downloader.client.request(method: "HEAD", bucket: item.bucket, key: item.key, query: query,
                                                        headers: downloader.objectHeaders(withKey: withKey))
            try downloader.transfers.start(request, receiver: response) { [self] result in ended(result) }
        } catch let error as S3Error {
            // No credentials to sign with: nothing more can work.
            downloader.stoppingError = error
        } catch {
            answer(.failed(code: "transfer_failed", message: "\(name): HEAD: \(error)"))
        }
    }

    private func ended(_ result: HTTPTransferResult) {
        if let error = result.error {
            guard error.isRetryable else { return answer(.failed(code: "transfer_failed", message: "\(name): HEAD: \(error.message)")) }
            return retry(reason: error.message)
        }
        let status = result.head.status
        switch status {
        case 200, 206:
            if downloader.customerKey != nil { downloader.customerKeyFirst = withKey }
            return answer(.found(result.head))
        case 404:
            return answer(.notFound)
        default:
            break
        }
        if !redirected, let region = S3Client.redirectRegion(status: status, head: result.head, body: []) {
            redirected = true
            downloader.client.learnRegion(region, for: item.bucket)
            attempts -= 1
            return start()
        }
        if !keySwitched, downloader.customerKeyRefused(status: status, code: "") {
            keySwitched = true
            withKey.toggle()
            attempts -= 1
            return start()
        }
        // A HEAD answer has no body, so no error code: the status alone tells (expired
        // credentials show on the GETs that follow).
        if S3Client.isRetryable(status: status, code: "") { return retry(reason: "HTTP \(status)") }
        let code = status == 403 ? "access_denied" : "http_\(status)"
        answer(.failed(code: code, message: "\(name): HEAD answered HTTP \(status)"))
    }

    private func retry(reason: String) {
        guard downloader.retry.allowsRetry(afterAttempt: attempts) else {
            return answer(.failed(code: "transfer_failed", message: "\(name): HEAD: \(reason) (after \(attempts) attempts)"))
        }
        let delay = downloader.retry.delay(beforeRetry: attempts)
        downloader.onRetry?("\(item.key): HEAD: \(reason); retry \(attempts) in \(Int(delay * 1000)) ms")
        downloader.transfers.schedule(after: delay) { [self] in start() }
    }
}
