// ObjectDownloader: fetches many objects at once on one libcurl multi handle. Each body streams
// into a temporary file beside its final path while it is checked (MD5, stored checksum or
// multipart ETag, whichever the response allows); the file is renamed into place only when the
// check passes. Retries, Range resume and caching live here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Crypto
import HTTP
import ParallelMD5
import Records

/// One object to fetch. Size and ETag come from the listing, so no HEAD request is needed.
public struct DownloadItem: Sendable {
    public var bucket: String
    public var key: String
    public var size: Int?
    public var etag: String?
    /// The caller's handle to find its record again.
    public var tag: Int
    /// The name the object was listed under (`x.jpg` for a stored `x.png`): the reference tool
    /// saved it under that name, so a copy there is looked at too (see `ListedNameCopy`).
    public var listedName: String?

    public init(bucket: String, key: String, size: Int?, etag: String?, tag: Int, listedName: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.tag = tag
        self.listedName = listedName
    }

    /// The ETag when it looks like a plain MD5 (32 hex digits; multipart ETags have a `-N`
    /// suffix). Encrypted objects' ETags look the same, so only a match proves anything.
    public var md5: String? { ObjectFacts.plainMD5(etag) }
}

/// How one object ended.
public enum DownloadOutcome: Sendable, Equatable {
    case downloaded(path: String, bytes: Int, verified: Verification)
    case cached(path: String, bytes: Int, verified: Verification)
    case failed(code: String, message: String, retryable: Bool)
}

/// Downloads objects in parallel into a `DownloadLayout`.
public final class ObjectDownloader {
    public let client: S3Client
    public let layout: DownloadLayout
    public let retry: RetryPolicy
    let transfers: ParallelTransfers
    /// Told about each retry (for logs).
    public var onRetry: ((String) -> Void)?
    /// Told about weaker checks than the object's answer promised (for debug logs).
    public var onDebug: ((String) -> Void)?
    /// `--restore`: archived objects get a RestoreObject request for this many days.
    public var restore: (days: Int, tier: RestoreTier)?
    /// The key of SSE-C objects. S3 refuses it (400 InvalidRequest) for objects not encrypted
    /// with it, as it refuses a request without it for those that are: each object's first
    /// request does what the last object needed, and the other way once on such a 400.
    public var customerKey: SSECustomerKey?
    /// Set when an answer means no request can succeed (expired credentials): the run stops.
    var stoppingError: S3Error?
    /// Whether the next object's first request carries the customer key.
    var customerKeyFirst = true
    private var completionQueue: [(DownloadItem, DownloadOutcome)] = []
    /// Complete bodies' MD5s, computed sixteen side by side, and the jobs waiting for them.
    private let hasher = MultiBufferMD5()
    private var awaitingDigest: [Int: (String) -> Void] = [:]
    private var nextDigestTag = 0
    /// Files already on disk being read and hashed before they are reported as cached; they
    /// take a slot each, so a rerun over finished downloads holds `concurrency` files at most.
    private var pendingCachedChecks = 0

    public init(client: S3Client, layout: DownloadLayout, concurrency: Int, retry: RetryPolicy) throws {
        self.client = client
        self.layout = layout
        self.retry = retry
        transfers = try ParallelTransfers(concurrency: concurrency)
    }

    /// Downloads until `next` returns nil and every started object has ended. `completion`
    /// gets each outcome on this thread. Stops taking new items when `shouldStop` says so.
    /// Throws `S3Error.credentialsExpired` at once (finished files stay; partial ones stay as
    /// temporary files for the next run).
    public func run(next: () throws -> DownloadItem?, completion: (DownloadItem, DownloadOutcome) throws -> Void,
                    shouldStop: () -> Bool = { false }) throws {
        var inputEnded = false
        while true {
            while !inputEnded, transfers.freeSlots - pendingCachedChecks > 0, stoppingError == nil {
                if shouldStop() { inputEnded = true; break }
                guard let item = try next() else { inputEnded = true; break }
                begin(item)
            }
            try drainCompletions(completion)
            if let stoppingError {
                // Bodies already complete are hashed and land (or not) first; the transfers
                // still running are dropped, and their jobs close their files as they go.
                for (tag, digest) in hasher.run(flush: true) { awaitingDigest.removeValue(forKey: tag)?(digest) }
                transfers.cancelAll()
                try drainCompletions(completion)
                throw stoppingError
            }
            if inputEnded, transfers.isIdle, completionQueue.isEmpty, awaitingDigest.isEmpty { return }
            try transfers.runOnce(maximumWait: mustFlushDigests ? 0 : 1)
            verifyQueuedBodies()
            try drainCompletions(completion)
        }
    }

    private func drainCompletions(_ completion: (DownloadItem, DownloadOutcome) throws -> Void) throws {
        while !completionQueue.isEmpty {
            let (item, outcome) = completionQueue.removeFirst()
            try completion(item, outcome)
        }
    }

    /// Headers of an object request: the stored checksum asked for, and the SSE-C key when
    /// `withKey` (and there is one).
    func objectHeaders(withKey: Bool) -> [HTTPHeader] {
        [HTTPHeader("x-amz-checksum-mode", "ENABLED")] + (withKey ? customerKey?.headers ?? [] : [])
    }

    /// Whether a 400 answer may be S3 refusing the SSE-C choice of a request (with the key for a
    /// plain object, without it for an SSE-C one): worth the other choice once.
    func customerKeyRefused(status: Int, code: String) -> Bool {
        customerKey != nil && status == 400 && (code.isEmpty || code == "InvalidRequest" || code == "InvalidArgument")
    }

    /// Queues a complete body for the multi-lane MD5.
    func verifyLater(_ job: DownloadJob, body: UnsafeRawBufferPointer) {
        hashLater(body) { job.verified(digest: $0) }
    }

    private func hashLater(_ body: UnsafeRawBufferPointer, then: @escaping (String) -> Void) {
        nextDigestTag += 1
        awaitingDigest[nextDigestTag] = then
        hasher.submit(body, tag: nextDigestTag)
    }

    /// Too few transfers are running to fill the idle lanes: hash what is there now.
    private var mustFlushDigests: Bool {
        !awaitingDigest.isEmpty && transfers.runningCount < hasher.lanes
    }

    /// Hashes while every lane has a body (all of them when few transfers are left to wait for).
    private func verifyQueuedBodies() {
        guard !awaitingDigest.isEmpty else { return }
        for (tag, digest) in hasher.run(flush: mustFlushDigests) {
            awaitingDigest.removeValue(forKey: tag)?(digest)
        }
    }

    func finish(_ item: DownloadItem, _ outcome: DownloadOutcome) {
        completionQueue.append((item, outcome))
    }

    private func begin(_ item: DownloadItem) {
        do {
            let path = try layout.claimPath(bucket: item.bucket, key: item.key)
            try DownloadLayout.checkFinalPath(path)
            if let copy = ListedNameCopy(item: item, ownPath: path, layout: layout) {
                return copy.judge(downloader: self) { [unowned self] in judgeExistingReportingErrors(item, path: path) }
            }
            try judgeExisting(item, path: path, movedAside: false)
        } catch let error as UnsafePathError {
            finish(item, .failed(code: error.code, message: error.message, retryable: false))
        } catch {
            finish(item, .failed(code: "io_error", message: "\(error)", retryable: true))
        }
    }

    /// `judgeExisting` from a callback: its errors become the item's outcome.
    private func judgeExistingReportingErrors(_ item: DownloadItem, path: String) {
        do {
            try judgeExisting(item, path: path, movedAside: false)
        } catch let error as UnsafePathError {
            finish(item, .failed(code: error.code, message: error.message, retryable: false))
        } catch {
            finish(item, .failed(code: "io_error", message: "\(error)", retryable: true))
        }
    }

    /// Reports a file already at `path` as cached when it holds the object, judged by the
    /// rules a download is (see `BodyCheck.plan`); downloads otherwise.
    private func judgeExisting(_ item: DownloadItem, path: String, movedAside: Bool) throws {
        guard let info = try? FileSystem.status(path) else { return download(item, path: path) }
        guard let size = item.size, info.isRegularFile, info.size == size else {
            return try differs(item, path: path, movedAside: movedAside)
        }
        guard let md5 = item.md5 else {
            return askThenJudge(item, path: path, movedAside: movedAside)
        }
        if size <= DownloadJob.batchLimit, let contents = FileCheck.contents(of: path, size: size) {
            // Probably finished by an earlier run: hashed with the other bodies, not alone.
            pendingCachedChecks += 1
            hashLater(UnsafeRawBufferPointer(contents)) { [unowned self] digest in
                contents.deallocate()
                pendingCachedChecks -= 1
                if digest == md5 {
                    finish(item, .cached(path: path, bytes: size, verified: .md5))
                } else {
                    // Another file, or an encrypted object whose ETag is no MD5: ask the object.
                    askThenJudge(item, path: path, movedAside: movedAside)
                }
            }
            return
        }
        if (try? FileCheck.md5Hex(ofFileAt: path, length: size)) == md5 {
            return finish(item, .cached(path: path, bytes: size, verified: .md5))
        }
        askThenJudge(item, path: path, movedAside: movedAside)
    }

    /// The ETag alone cannot judge the file: a HEAD tells how the object can be checked.
    private func askThenJudge(_ item: DownloadItem, path: String, movedAside: Bool) {
        let check = CachedFileCheck(item: item, path: path, downloader: self) { [unowned self] judgement in
            do {
                switch judgement {
                case .holds(let verification):
                    finish(item, .cached(path: path, bytes: item.size ?? 0, verified: verification))
                case .differs:
                    try differs(item, path: path, movedAside: movedAside)
                case .unknown(let code, let message):
                    // No definite answer: the file stays where it is, and a rerun asks again.
                    finish(item, .failed(code: code, message: message, retryable: true))
                }
            } catch let error as UnsafePathError {
                finish(item, .failed(code: error.code, message: error.message, retryable: false))
            } catch {
                finish(item, .failed(code: "io_error", message: "\(error)", retryable: true))
            }
        }
        check.start()
    }

    /// The file at `path` is not the object. Someone else's file (another key, or an older
    /// copy) is never overwritten: the object goes beside it; a file there is ours to replace.
    private func differs(_ item: DownloadItem, path: String, movedAside: Bool) throws {
        if movedAside { return download(item, path: path) }
        let aside = layout.moveAside(path, bucket: item.bucket, key: item.key)
        try DownloadLayout.checkFinalPath(aside)
        try judgeExisting(item, path: aside, movedAside: true)
    }

    private func download(_ item: DownloadItem, path: String) {
        let job = DownloadJob(item: item, path: path, downloader: self)
        job.attempt()
    }

    /// Starts one attempt of a job (now, or as a delayed retry).
    func start(_ job: DownloadJob, headers: [HTTPHeader], withKey: Bool) {
        do {
            let request = try client.request(bucket: job.item.bucket, key: job.item.key, headers: headers + objectHeaders(withKey: withKey))
            try transfers.start(request, receiver: job) { result in job.ended(result) }
        } catch let error as S3Error {
            // No credentials to sign with (a refresh failed after expiry): nothing more can work.
            stoppingError = error
            job.failLocally(code: "no_credentials", message: "\(error)")
        } catch {
            job.failLocally(code: "transfer_failed", message: "\(error)")
        }
    }

    /// Reports an archived object as an `archived` error record; with `restore` set, after a
    /// RestoreObject request sent beside the other transfers (so a rerun once it is done
    /// downloads the object).
    func archived(_ item: DownloadItem, storageClass: String?) {
        let name = "s3://\(item.bucket)/\(item.key)"
        let report = { [unowned self] (message: String) in finish(item, .failed(code: "archived", message: message, retryable: true)) }
        guard let restore else {
            return report("\(name) is archived (\(storageClass ?? "GLACIER or DEEP_ARCHIVE")): restore it (s3fetch --restore DAYS) and rerun once the restore is done")
        }
        // Intelligent-Tiering moves a restored object back to its access tiers: no Days.
        let days = storageClass == "INTELLIGENT_TIERING" ? nil : restore.days
        let response = BufferedResponse(limit: 64 << 10)
        do {
            let request = try client.restoreRequest(bucket: item.bucket, key: item.key, days: days, tier: restore.tier)
            try transfers.start(request, receiver: response) { result in
                if let error = result.error { return report("\(name) is archived; the restore request failed: \(error.message)") }
                switch RestoreRequestState(status: result.head.status, body: response.body) {
                case .started:
                    let terms = days.map { "\(restore.tier.rawValue), \($0) days" } ?? restore.tier.rawValue
                    report("\(name) is archived: restore requested (\(terms)); rerun once it is done")
                case .inProgress:
                    report("\(name) is archived: a restore is already in progress; rerun once it is done")
                case .alreadyRestored:
                    report("\(name) is archived and a restored copy is ready now; rerun to download it")
                case .failed(let answer):
                    report("\(name) is archived; the restore request failed: \(answer)")
                }
            }
        } catch {
            report("\(name) is archived; the restore request failed: \(error)")
        }
    }

    /// Asks for part 1's size of a multipart object (HEAD with partNumber=1).
    func askPartSize(_ job: DownloadJob) {
        head(job.item, partNumber: 1) { job.partSizeAnswered($0) }
    }

    /// A HEAD of an object (of one part when `partNumber` is given), retried and redirected
    /// like a GET; `answer` gets what it found.
    func head(_ item: DownloadItem, partNumber: Int? = nil, answer: @escaping (HeadAnswer) -> Void) {
        ObjectHead(item: item, partNumber: partNumber, downloader: self, answer: answer).start()
    }

    /// A check over an inferred part layout failed: the last part's size tells whether the
    /// layout holds (then the bytes are wrong: true) or the parts are uneven, as S3 allows
    /// (false: only the size can be checked); nil when the object did not say.
    func layoutHolds(_ item: DownloadItem, _ check: BodyCheck, answer: @escaping (Bool?) -> Void) {
        guard let last = check.inferredLastPart else { return answer(true) }
        head(item, partNumber: last.number) { [unowned self] found in
            guard case .found(let head) = found, let length = head.contentLength else { return answer(nil) }
            if length != last.size {
                onDebug?("\(item.key): its parts are of uneven size (part \(last.number) has \(length) bytes, not \(last.size)): only the size is checked")
            }
            answer(length == last.size)
        }
    }

    func scheduleRetry(_ job: DownloadJob, reason: DownloadRetryReason) {
        guard retry.allowsRetry(afterAttempt: job.attempts) else {
            job.giveUp(reason: reason)
            return
        }
        let delay = retry.delay(beforeRetry: job.attempts)
        onRetry?("\(job.item.key): \(reason.message); retry \(job.attempts) in \(Int(delay * 1000)) ms")
        transfers.schedule(after: delay) { job.attempt() }
    }
}

/// Reading files already on disk, to hash them.
enum FileCheck {
    /// The first `size` bytes of a file in a new buffer (the caller deallocates it); nil when
    /// they cannot be read.
    static func contents(of path: String, size: Int) -> UnsafeMutableRawBufferPointer? {
        guard let file = try? FileDescriptor.open(path, .read) else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 64)
        let contents = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
        guard (try? fill(contents, from: file, at: 0)) != nil else {
            buffer.deallocate()
            return nil
        }
        return contents
    }

    /// MD5 of the first `length` bytes of a file.
    static func md5Hex(ofFileAt path: String, length: Int) throws -> String {
        var hasher = Insecure.MD5()
        try feed(path: path, length: length) { hasher.update(bufferPointer: $0) }
        return SigV4Signer.hex(Array(hasher.finalize()))
    }

    static func feed(path: String, length: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let file = try FileDescriptor.open(path, .read)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < length {
            let part = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<min(chunk.count, length - offset)])
            try fill(part, from: file, at: offset)
            body(UnsafeRawBufferPointer(part))
            offset += part.count
        }
    }

    /// Fills `buffer` from `offset`; throws on an error or an early end of file.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, from file: borrowing FileDescriptor, at offset: Int) throws(SystemError) {
        guard try file.readFully(into: buffer, at: offset) == buffer.count else { throw SystemError.fileShrank("read", path: file.path) }
    }
}
