// CachedFileCheck: judges a file already on disk (from an earlier run) whose listing ETag
// cannot: a multipart or encrypted object, or an MD5 that did not match. A HEAD (and for a
// multipart object a second one for part 1's size) tells which check applies — the same rules
// as a download — and the file is hashed accordingly.
import HTTP

/// What a file on disk was found to be.
enum CachedFileJudgement {
    /// The object, checked this way.
    case holds(Verification)
    /// Definitely not the object (404, or a check that failed).
    case differs
    /// Nothing could be told (no definite HEAD answer, an unreadable file): an error record,
    /// never a reason to move the file aside.
    case unknown(code: String, message: String)
}

final class CachedFileCheck {
    let item: DownloadItem
    let path: String
    unowned let downloader: ObjectDownloader
    private let done: (CachedFileJudgement) -> Void
    private var facts: ObjectFacts?

    init(item: DownloadItem, path: String, downloader: ObjectDownloader, done: @escaping (CachedFileJudgement) -> Void) {
        self.item = item
        self.path = path
        self.downloader = downloader
        self.done = done
    }

    func start() {
        downloader.head(item) { [self] answer in
            let head: HTTPResponseHead
            switch answer {
            case .found(let found): head = found
            case .notFound: return done(.differs)
            case .failed(let code, let message): return done(.unknown(code: code, message: message))
            }
            let facts = ObjectFacts(headers: head.headers, etag: item.etag)
            self.facts = facts
            guard let parts = facts.multipartCount, parts > 1, facts.md5 == nil else {
                return judge(partSize: facts.multipartCount == 1 ? item.size : nil)
            }
            downloader.head(item, partNumber: 1) { [self] answer in
                switch answer {
                case .found(let part):
                    var partSize: Int?
                    if let length = part.contentLength, BodyCheck.fits(partSize: length, parts: parts, size: item.size) {
                        partSize = length
                    }
                    judge(partSize: partSize)
                case .notFound: done(.differs)
                case .failed(let code, let message): done(.unknown(code: code, message: message))
                }
            }
        }
    }

    private func judge(partSize: Int?) {
        guard let facts, let size = item.size else { return done(.differs) }
        var check = BodyCheck.plan(facts, partSize: partSize, size: size)
        if check.kind == .size { return done(.holds(.size)) }
        // An unencrypted single-part object's MD5 was compared before this check was asked for.
        if check.kind == .md5, facts.md5 == item.md5 { return done(.differs) }
        guard (try? FileCheck.feed(path: path, length: size, { check.update($0) })) != nil else {
            return done(.unknown(code: "io_error", message: "\(path): cannot read the file to check it"))
        }
        guard check.mismatch() != nil else { return done(.holds(check.kind)) }
        guard check.layoutInferred else { return done(.differs) }
        downloader.layoutHolds(item, check) { [self] holds in
            switch holds {
            case true?: done(.differs)
            case false?: done(.holds(.size))
            case nil: done(.unknown(code: "transfer_failed", message: "s3://\(item.bucket)/\(item.key): no answer about its parts"))
            }
        }
    }
}
