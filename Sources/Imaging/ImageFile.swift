// ImageFile: the file side of resizing — reading an image whole, writing a result atomically
// (temporary file, then rename, so no partial file ever has the final name), turning an id
// into a safe file name, and finding image files under a directory.

public enum ImageFile {
    /// Files larger than this are refused before reading (no supported image needs more).
    public static let maximumFileBytes = 1 << 30

    /// Reads a whole file, refusing (as too_large, before reading) one over `maximumBytes`.
    public static func read(_ path: String, maximumBytes: Int = maximumFileBytes) throws(ImagingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImagingError(.io, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImagingError(.io, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ImagingError(.io, "not a regular file") }
        let size = Int(info.st_size)
        let limit = min(maximumBytes, maximumFileBytes)
        guard size <= limit else { throw ImagingError(.tooLarge, "file is \(size) bytes, more than the \(ByteSize(bytes: limit)) allowed") }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count == 0 { break }
                throw ImagingError(.io, "cannot read: \(String(cString: strerror(errno)))")
            }
            done += count
        }
        return done == size ? bytes : Array(bytes.prefix(done))
    }

    /// Writes `bytes` to `path` through a temporary file in the same directory, renamed over it.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImagingError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let random = UInt64.random(in: 0...UInt64.max)
        let temporary = "\(directory).\(name).tmp-\(getpid())-\(random & 0xFFFFFF)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImagingError(.io, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw ImagingError(.io, "cannot write \(temporary): \(reason)")
            }
            written += count
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ImagingError(.io, "cannot write \(path): \(reason)")
        }
    }

    /// A file name for an id: `/`, NUL and control characters become `_`, and a leading dot
    /// is escaped, so an id can never reach outside the output directory or hide a file.
    public static func safeName(for id: String) -> String {
        var name = String(id.unicodeScalars.map { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F ? "_" : Character($0) })
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        if name.utf8.count > 240 { name = String(decoding: name.utf8.prefix(240), as: UTF8.self) }
        return name
    }

    /// Image files (by extension, any case, including formats that cannot be decoded) under
    /// `directory`, recursively, in name order. Symbolic links to directories are not followed.
    public static func find(in directory: String) throws(ImagingError) -> [String] {
        guard let handle = opendir(directory) else {
            throw ImagingError(.io, "cannot read directory \(directory): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != ".", name != ".." { names.append(name) }
        }
        closedir(handle)
        var found: [String] = []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() {
            let path = prefix + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: found += try find(in: path)
            case S_IFREG, S_IFLNK: if ImageFormat.fromExtension(of: name) != nil { found.append(path) }
            default: break
            }
        }
        return found
    }
}
