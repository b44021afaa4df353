// ListedNameCopy: the reference tool saved each object under the name it was listed as (PNG
// bytes in `x.jpg`). A file there that holds the object, by the rules a cached file is judged,
// is reused in place, so switching from the reference never downloads a data lake twice.
import Posix
import Records

/// A file under the download directory named as the object was listed, where the object's own
/// file (named after its key) is not there yet.
struct ListedNameCopy {
    let item: DownloadItem
    let path: String
    let size: Int

    /// Nil when there is nothing to look at: no listed name, the same name as the key's, the
    /// key's own file already there (it is judged instead), or no regular file of the object's size.
    init?(item: DownloadItem, ownPath: String, layout: DownloadLayout) {
        guard let name = item.listedName, let size = item.size,
              let relative = try? DownloadLayout.relativePath(forKey: name, keepPaths: false) else { return nil }
        let path = layout.directory + "/" + relative
        guard path != ownPath, (try? FileSystem.status(ownPath, followLinks: false)) == nil else { return nil }
        // Not following links: a symlink is not followed out of the folder.
        guard let status = try? FileSystem.status(path, followLinks: false), status.isRegularFile, status.size == size else { return nil }
        self.item = item
        self.path = path
        self.size = size
    }

    /// Reports the object cached at `path` when the file passes; calls `otherwise` when it does
    /// not (the file is left as it is: the object goes to its own path).
    func judge(downloader: ObjectDownloader, otherwise: @escaping () -> Void) {
        if let md5 = item.md5, (try? FileCheck.md5Hex(ofFileAt: path, length: size)) == md5 {
            return downloader.finish(item, .cached(path: path, bytes: size, verified: .md5))
        }
        // No plain MD5 to compare (multipart, encrypted) or it differed: the object is asked how
        // it can be checked, as for a cached file at the key's own path.
        let (item, path, size) = (item, path, size)
        let check = CachedFileCheck(item: item, path: path, downloader: downloader) { [unowned downloader] judgement in
            switch judgement {
            case .holds(let verification):
                downloader.finish(item, .cached(path: path, bytes: size, verified: verification))
            case .differs:
                otherwise()
            case .unknown(let code, let message):
                // No definite answer: the file is left as it is, and a rerun asks again.
                downloader.finish(item, .failed(code: code, message: message, retryable: true))
            }
        }
        check.start()
    }
}
