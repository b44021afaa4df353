// DownloadJob: one object's download across its attempts — the part size of a multipart
// object (a HEAD first), the temporary file, the running check the response calls for (MD5,
// stored checksum, multipart ETag or size), Range resume from what is already written, and
// the checks before the rename.
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
import Records

/// The state of one object being fetched; receives its body from libcurl.
final class DownloadJob: HTTPResponseReceiver {
    let item: DownloadItem
    let path: String
    let temporaryPath: String
    unowned let downloader: ObjectDownloader
    private(set) var attempts = 0
    /// A wrong-region answer was followed once already.
    private var redirected = false
    /// Whether requests carry the SSE-C key (decided at the first request), and whether the
    /// other choice was tried after a 400.
    private var withKey: Bool?
    private var keySwitched = false

    private var file: FileDescriptor?
    /// What the body must match, decided by the first response of the current file; the bytes
    /// streamed to disk have all gone through it (bodies kept in memory go through at the end).
    private var check: BodyCheck?
    /// Part 1's size for a multipart object, from a HEAD with partNumber=1 (nil: unknown).
    private(set) var partSize: Int?
    private var partSizeAsked = false
    /// The part layout of a failed check was asked about once (see `layoutHolds`).
    private var layoutAsked = false
    /// Bytes of the object in the temporary file.
    private var written = 0
    private var requestedFrom = 0
    private var acceptingBody = false
    private var expectedTotal: Int?
    private var errorBody: [UInt8] = []
    private var localFailure: (code: String, message: String)?
    /// The body kept in memory (objects up to `batchLimit`): one write at the end, and an MD5
    /// computed in the multi-lane kernel with other objects' instead of byte by byte.
    private var body: UnsafeMutableRawBufferPointer?
    static let batchLimit = 32 << 20

    init(item: DownloadItem, path: String, downloader: ObjectDownloader) {
        self.item = item
        self.path = path
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        temporaryPath = path[..<slash] + "." + path[slash...] + ".s3fetch-part"
        self.downloader = downloader
    }

    /// A job dropped while its transfer runs (cancelled on a fatal error) still owns its file:
    /// it stays only when a rerun can resume it.
    deinit {
        closeFile()
        removeUnresumableFile()
        body?.deallocate()
    }

    /// Opens the temporary file and starts the next attempt, resuming with a Range request
    /// when part of the object is already there (and the ETag can pin its version). A
    /// multipart object's part size is asked for first, once.
    func attempt() {
        attempts += 1
        localFailure = nil
        errorBody.removeAll()
        do {
            try openTemporaryFile()
        } catch {
            failLocally(code: "io_error", message: "\(error)")
            return
        }
        if let parts = ObjectFacts.multipartCount(item.etag), partSize == nil, !partSizeAsked {
            partSizeAsked = true
            if parts == 1, let size = item.size {
                partSize = size
            } else {
                downloader.askPartSize(self)
                return
            }
        }
        requestBody()
    }

    /// The HEAD with partNumber=1 ended (200, or 206 with a Content-Range from SeaweedFS): its
    /// length is part 1's size when it fits the object.
    /// No definite answer is an error record (a rerun asks again), never a silent size check.
    func partSizeAnswered(_ answer: HeadAnswer) {
        let head: HTTPResponseHead
        switch answer {
        case .found(let found): head = found
        case .notFound:
            return fail(code: "not_found", message: "s3://\(item.bucket)/\(item.key) does not exist (HTTP 404)", retryable: false)
        case .failed(let code, let message):
            closeFile()
            removeUnresumableFile()
            return downloader.finish(item, .failed(code: code, message: message, retryable: true))
        }
        if head.status == 200 || head.status == 206, let length = head.contentLength,
           let parts = head["x-amz-mp-parts-count"].flatMap({ Int($0) }) ?? ObjectFacts.multipartCount(item.etag),
           BodyCheck.fits(partSize: length, parts: parts, size: item.size) {
            partSize = length
        }
        requestBody()
    }

    private func requestBody() {
        var headers: [HTTPHeader] = []
        if written > 0, let etag = item.etag {
            headers.append(HTTPHeader("Range", "bytes=\(written)-"))
            headers.append(HTTPHeader("If-Match", "\"\(etag)\""))
        }
        requestedFrom = headers.isEmpty ? 0 : written
        let withKey = self.withKey ?? downloader.customerKeyFirst
        self.withKey = withKey
        downloader.start(self, headers: headers, withKey: withKey)
    }

    private func openTemporaryFile() throws {
        if file == nil {
            try DownloadLayout.checkFinalPath(temporaryPath)
            file = try FileDescriptor.open(temporaryPath, .write, followLinks: false)
            if attempts == 1 {
                adoptPartialFile()
                if written == 0, let size = item.size, size <= Self.batchLimit {
                    body = .allocate(byteCount: max(size, 1), alignment: 64)
                }
            }
        }
        guard item.etag != nil, written > 0 else {
            try restartFile()
            return
        }
        try file?.seek(to: written)
        try file?.truncate(to: written)
    }

    /// A partial file from an earlier run: the download continues after it (what it holds is
    /// fed to the check once the response says which check applies).
    private func adoptPartialFile() {
        guard let size = try? file?.status().size, size > 0, item.etag != nil, size < (item.size ?? Int.max) else { return }
        written = size
    }

    private func restartFile() throws {
        written = 0
        check = nil
        try file?.truncate(to: 0)
        try file?.seek(to: 0)
    }

    func receiveHead(_ head: HTTPResponseHead) -> Bool {
        acceptingBody = false
        switch head.status {
        case 200:
            if written > 0 {
                guard (try? restartFile()) != nil else { return false }
            }
            expectedTotal = head.contentLength
            check = BodyCheck.plan(ObjectFacts(headers: head.headers, etag: item.etag), partSize: partSize,
                                   size: item.size ?? head.contentLength)
            acceptingBody = true
        case 206:
            // "bytes START-END/TOTAL": it must continue exactly where the file ends.
            guard let range = head["content-range"], let start = Self.rangeStart(range), start == written else {
                localFailure = ("bad_range", "the server resumed at another offset")
                return false
            }
            expectedTotal = range.split(separator: "/").last.flatMap { Int($0) }
            if check == nil {
                // Resuming an earlier run's file: ranged answers carry no checksum, so the ETag
                // (or the size) decides, and the bytes already on disk go through the check first.
                var fresh = BodyCheck.plan(ObjectFacts(headers: head.headers, etag: item.etag), partSize: partSize,
                                           size: item.size ?? expectedTotal)
                if body == nil {
                    guard (try? FileCheck.feed(path: temporaryPath, length: written, { fresh.update($0) })) != nil else {
                        localFailure = ("io_error", "\(temporaryPath): cannot read the partial file")
                        return false
                    }
                }
                check = fresh
            }
            acceptingBody = true
        default:
            break
        }
        return true
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard acceptingBody else {
            if errorBody.count < 16 << 10 { errorBody.append(contentsOf: bytes.prefix(16 << 10 - errorBody.count)) }
            return true
        }
        if let body {
            // Kept in memory and written in one go once complete (fewer, larger writes).
            let room = max(0, min(bytes.count, body.count - written))
            if room > 0 { (body.baseAddress! + written).copyMemory(from: bytes.baseAddress!, byteCount: room) }
            written += bytes.count
            return true
        }
        guard writeAll(bytes, at: nil) else { return false }
        check?.update(bytes)
        written += bytes.count
        return true
    }

    /// Writes bytes at the file position (or at `offset` with pwrite); records a failure.
    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int?) -> Bool {
        do throws(SystemError) {
            if let offset { try file?.write(bytes, at: offset) } else { try file?.write(bytes) }
            return true
        } catch {
            localFailure = (error.isOutOfSpace ? "disk_full" : "io_error", error.description)
            return false
        }
    }

    /// The transfer of one attempt ended.
    func ended(_ result: HTTPTransferResult) {
        if let localFailure {
            if localFailure.code == "bad_range" {
                try? restartFile()
                downloader.scheduleRetry(self, reason: .transfer(localFailure.message))
            } else {
                failLocally(code: localFailure.code, message: localFailure.message)
            }
            return
        }
        if let error = result.error {
            guard error.isRetryable else {
                failLocally(code: "transfer_failed", message: error.message)
                return
            }
            downloader.scheduleRetry(self, reason: .transfer(error.message))
            return
        }
        let status = result.head.status
        switch status {
        case 200, 206:
            if downloader.customerKey != nil, let withKey { downloader.customerKeyFirst = withKey }
            verifyAndRename()
        case 404:
            fail(code: "not_found", message: "s3://\(item.bucket)/\(item.key) does not exist (HTTP 404)", retryable: false)
        case 412, 416:
            // The object changed since the listing, or the partial file is wrong: start over.
            try? restartFile()
            downloader.scheduleRetry(self, reason: .transfer("HTTP \(status) on a resumed download; starting over"))
        default:
            if !redirected, let region = S3Client.redirectRegion(status: status, head: result.head, body: errorBody) {
                // The bucket is in another region: once re-signed for it, the GET goes on.
                redirected = true
                downloader.client.learnRegion(region, for: item.bucket)
                attempt()
                return
            }
            let body = S3ErrorBody(xml: errorBody)
            if !keySwitched, downloader.customerKeyRefused(status: status, code: body.code) {
                // The object is encrypted otherwise than the request said: the other way once.
                keySwitched = true
                withKey?.toggle()
                attempts -= 1
                attempt()
                return
            }
            if status == 403, body.code == "InvalidObjectState" {
                // Archived (GLACIER, DEEP_ARCHIVE, an Intelligent-Tiering archive tier): no retry
                // helps until a restore finishes.
                closeFile()
                try? FileSystem.remove(temporaryPath)
                downloader.archived(item, storageClass: XMLScanner(errorBody).text("StorageClass"))
                return
            }
            let code = body.code.isEmpty ? "HTTP \(status)" : body.code
            if (status == 403 || status == 400), S3Error.expiredCodes.contains(body.code) {
                closeFile()
                downloader.stoppingError = .credentialsExpired(body.code)
                return
            }
            if S3Client.isRetryable(status: status, code: body.code) {
                downloader.scheduleRetry(self, reason: .transfer("HTTP \(status) \(code)"))
                return
            }
            let recordCode = status == 403 ? "access_denied" : "http_\(status)"
            fail(code: recordCode, message: "s3://\(item.bucket)/\(item.key): HTTP \(status) \(code) \(body.message)", retryable: false)
        }
    }

    private func verifyAndRename() {
        let expected = item.size ?? expectedTotal
        if let expected, written != expected {
            if written > expected { try? restartFile() }
            downloader.scheduleRetry(self, reason: .shortBody(written: written, expected: expected))
            return
        }
        if let body {
            let complete = UnsafeRawBufferPointer(rebasing: body[0..<min(written, body.count)])
            guard writeAll(complete, at: 0) else {
                fail(code: localFailure?.code ?? "io_error", message: localFailure?.message ?? "write failed", retryable: true)
                return
            }
            if check?.isWholeBodyMD5 == true {
                downloader.verifyLater(self, body: complete)
                return
            }
            check?.update(complete)
        }
        conclude(mismatch: check?.mismatch())
    }

    /// The multi-lane MD5 of the body in memory is known.
    func verified(digest: String) {
        let expected = check?.expected ?? ""
        conclude(mismatch: digest == expected ? nil : "md5 \(digest) does not match the ETag \(expected)")
    }

    /// The body was checked: rename, or retry on a mismatch.
    private func conclude(mismatch: String?) {
        if let mismatch, let check, check.layoutInferred, !layoutAsked {
            layoutAsked = true
            downloader.layoutHolds(item, check) { [self] holds in
                guard holds == false else { return conclude(mismatch: mismatch) }
                // Uneven parts: the bytes are kept with the size as their only check.
                self.check = nil
                conclude(mismatch: nil)
            }
            return
        }
        if let mismatch {
            try? restartFile()
            downloader.scheduleRetry(self, reason: .checksumMismatch(mismatch))
            return
        }
        let verification = check?.kind ?? .size
        closeFile()
        do throws(SystemError) { try FileSystem.rename(temporaryPath, to: path) } catch {
            fail(code: "io_error", message: "cannot rename \(temporaryPath) to \(path): \(error.reason)", retryable: true)
            return
        }
        downloader.finish(item, .downloaded(path: path, bytes: written, verified: verification))
    }

    /// A local failure that retrying will not fix: remove the temporary file and report.
    func failLocally(code: String, message: String) {
        fail(code: code, message: message, retryable: code != "unsafe_path")
    }

    private func fail(code: String, message: String, retryable: Bool) {
        closeFile()
        try? FileSystem.remove(temporaryPath)
        downloader.finish(item, .failed(code: code, message: message, retryable: retryable))
    }

    /// Retries are used up: report the last reason. A partial file of a large object is kept
    /// so the next run can resume it.
    func giveUp(reason: DownloadRetryReason) {
        closeFile()
        removeUnresumableFile()
        downloader.finish(item, .failed(code: reason.code, message: "s3://\(item.bucket)/\(item.key): \(reason.message) (after \(attempts) attempts)",
                                        retryable: true))
    }

    /// Removes the temporary file unless a rerun can resume it (Range + If-Match): at least
    /// 8 MiB of the object written to it (not kept in memory) and an ETag to pin the version.
    func removeUnresumableFile() {
        if body != nil || written < 8 << 20 || item.etag == nil { try? FileSystem.remove(temporaryPath) }
    }

    private func closeFile() {
        file = nil
    }

    static func rangeStart(_ contentRange: String) -> Int? {
        guard let bytes = contentRange.split(separator: " ").last, let dash = bytes.firstIndex(of: "-") else { return nil }
        return Int(bytes[..<dash])
    }
}
