// CachedFileCheck: judges a file already on disk (from an earlier run) whose listing ETag
// cannot: a multipart or encrypted object, or an MD5 that did not match. A HEAD (and for a
// multipart object a second one for part 1's size) tells which check applies — the same rules
// as a download — and the file is hashed accordingly.
import HTTP

final class CachedFileCheck {
    let item: DownloadItem
    let path: String
    unowned let downloader: ObjectDownloader
    /// Gets the check the file passed, or nil when it is not the object (or cannot be told).
    private let done: (Verification?) -> Void
    private var facts: ObjectFacts?

    init(item: DownloadItem, path: String, downloader: ObjectDownloader, done: @escaping (Verification?) -> Void) {
        self.item = item
        self.path = path
        self.downloader = downloader
        self.done = done
    }

    func start() {
        downloader.head(item) { [self] head in
            guard let head, head.status == 200 else { return done(nil) }
            let facts = ObjectFacts(headers: head.headers, etag: item.etag)
            self.facts = facts
            guard let parts = facts.multipartCount, parts > 1, facts.md5 == nil else {
                return judge(partSize: facts.multipartCount == 1 ? item.size : nil)
            }
            downloader.head(item, partNumber: 1) { [self] part in
                var partSize: Int?
                if let part, part.status == 200 || part.status == 206, let length = part.contentLength,
                   BodyCheck.fits(partSize: length, parts: parts, size: item.size) {
                    partSize = length
                }
                judge(partSize: partSize)
            }
        }
    }

    private func judge(partSize: Int?) {
        guard let facts, let size = item.size else { return done(nil) }
        var check = BodyCheck.plan(facts, partSize: partSize, size: size)
        if check.kind == .size { return done(.size) }
        // An unencrypted single-part object's MD5 was compared before this check was asked for.
        if check.kind == .md5, facts.md5 == item.md5 { return done(nil) }
        guard (try? FileCheck.feed(path: path, length: size, { check.update($0) })) != nil else { return done(nil) }
        done(check.mismatch() == nil ? check.kind : nil)
    }
}
