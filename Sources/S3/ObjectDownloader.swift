// ObjectDownloader: fetches many objects at once on one libcurl multi handle. Each body streams
// into a temporary file beside its final path while its MD5 is computed; the file is renamed
// into place only when size and MD5 match. Retries, Range resume and caching live here.
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

    public init(bucket: String, key: String, size: Int?, etag: String?, tag: Int) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.tag = tag
    }

    /// The ETag when it is a plain MD5 (32 hex digits; multipart ETags have a `-N` suffix).
    public var md5: String? {
        guard let etag, etag.utf8.count == 32, etag.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else { return nil }
        return etag.lowercased()
    }
}

/// How one object ended.
public enum DownloadOutcome: Sendable, Equatable {
    case downloaded(path: String, bytes: Int)
    case cached(path: String, bytes: Int)
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
    var fatalError: S3Error?
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
            while !inputEnded, transfers.freeSlots - pendingCachedChecks > 0, fatalError == nil {
                if shouldStop() { inputEnded = true; break }
                guard let item = try next() else { inputEnded = true; break }
                begin(item)
            }
            try drainCompletions(completion)
            if let fatalError {
                transfers.cancelAll()
                throw fatalError
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
            var info = stat()
            guard stat(path, &info) == 0 else { return proceed(item, path: path, check: .missing) }
            if let size = item.size, let md5 = item.md5, size <= DownloadJob.batchLimit, (info.st_mode & S_IFMT) == S_IFREG,
               Int(info.st_size) == size, let contents = FileCheck.contents(of: path, size: size) {
                // Probably finished by an earlier run: hashed with the other bodies, not alone.
                pendingCachedChecks += 1
                hashLater(UnsafeRawBufferPointer(contents)) { [unowned self] digest in
                    contents.deallocate()
                    pendingCachedChecks -= 1
                    if digest == md5 {
                        finish(item, .cached(path: path, bytes: size))
                    } else {
                        proceed(item, path: path, check: .differs)
                    }
                }
                return
            }
            proceed(item, path: path, check: try FileCheck.compare(path: path, size: item.size, md5: item.md5))
        } catch let error as UnsafePathError {
            finish(item, .failed(code: error.code, message: error.message, retryable: false))
        } catch {
            finish(item, .failed(code: "io_error", message: "\(error)", retryable: true))
        }
    }

    /// Downloads unless the file at `path` already holds the object; a different file there is
    /// never overwritten.
    private func proceed(_ item: DownloadItem, path: String, check: FileCheck.Result) {
        var path = path
        do {
            switch check {
            case .matches(let bytes):
                finish(item, .cached(path: path, bytes: bytes))
                return
            case .missing:
                break
            case .differs:
                // Someone else's file (another key, or an older copy): never overwrite it.
                path = layout.moveAside(path, bucket: item.bucket, key: item.key)
                try DownloadLayout.checkFinalPath(path)
                if case .matches(let bytes) = try FileCheck.compare(path: path, size: item.size, md5: item.md5) {
                    finish(item, .cached(path: path, bytes: bytes))
                    return
                }
            }
            let job = DownloadJob(item: item, path: path, downloader: self)
            job.attempt()
        } catch let error as UnsafePathError {
            finish(item, .failed(code: error.code, message: error.message, retryable: false))
        } catch {
            finish(item, .failed(code: "io_error", message: "\(error)", retryable: true))
        }
    }

    /// Starts one attempt of a job (now, or as a delayed retry).
    func start(_ job: DownloadJob, headers: [HTTPHeader]) {
        let request = client.request(bucket: job.item.bucket, key: job.item.key, headers: headers)
        do {
            try transfers.start(request, receiver: job) { result in job.ended(result) }
        } catch {
            job.failLocally(code: "transfer_failed", message: "\(error)")
        }
    }

    func scheduleRetry(_ job: DownloadJob, reason: String) {
        guard retry.allowsRetry(afterAttempt: job.attempts) else {
            job.giveUp(reason: reason)
            return
        }
        let delay = retry.delay(beforeRetry: job.attempts)
        onRetry?("\(job.item.key): \(reason); retry \(job.attempts) in \(Int(delay * 1000)) ms")
        transfers.schedule(after: delay) { job.attempt() }
    }
}

/// Whether a file on disk already holds an object.
enum FileCheck {
    enum Result: Equatable {
        case missing
        case matches(bytes: Int)
        case differs
    }

    static func compare(path: String, size: Int?, md5: String?) throws -> Result {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        let bytes = Int(info.st_size)
        if let size, bytes != size { return .differs }
        guard size != nil || md5 != nil else { return .differs }  // nothing to verify against
        if let md5 {
            guard let digest = try? md5Hex(ofFileAt: path, length: bytes), digest == md5 else { return .differs }
        }
        return .matches(bytes: bytes)
    }

    /// The first `size` bytes of a file in a new buffer (the caller deallocates it); nil when
    /// they cannot be read.
    static func contents(of path: String, size: Int) -> UnsafeMutableRawBufferPointer? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 64)
        let contents = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
        guard (try? fill(contents, from: fd, path: path)) != nil else {
            buffer.deallocate()
            return nil
        }
        return contents
    }

    /// MD5 of the first `length` bytes of a file.
    static func md5Hex(ofFileAt path: String, length: Int) throws -> String {
        var hasher = Insecure.MD5()
        try feed(path: path, length: length) { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    static func feed(path: String, length: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var remaining = length
        while remaining > 0 {
            let part = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<min(chunk.count, remaining)])
            try fill(part, from: fd, path: path)
            body(UnsafeRawBufferPointer(part))
            remaining -= part.count
        }
    }

    /// Fills `buffer` from the file's position; throws on an error or an early end of file.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, from fd: Int32, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw SystemError("read", path: path) }
            done += n
        }
    }

    static func hex(_ digest: Insecure.MD5.Digest) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
