// FileSystem: operations on paths — make a directory and its parents, replace a file whole and
// atomically, look a file up, list a directory, remove, rename — each throwing a SystemError
// that names the call and the path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum FileSystem {
    /// Creates `path` and any missing parents (`mkdir -p`). Existing directories are fine; a file
    /// where a directory should be is an error (EEXIST, naming that file).
    public static func makeDirectories(_ path: String, permissions: UInt32 = 0o755) throws(SystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            do throws(SystemError) {
                try systemCall("mkdir", path: current) { mkdir(current, mode_t(permissions)) }
            } catch where error.alreadyExists && (try? status(current))?.isDirectory == true {
                continue
            }
        }
    }

    /// Creates the one directory `path` (its parent must exist); EEXIST when the name is taken.
    public static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws(SystemError) {
        try systemCall("mkdir", path: path) { mkdir(path, mode_t(permissions)) }
    }

    /// Replaces `path` with `bytes` through a new temporary file in the same directory renamed over
    /// it, so a reader (or a crash) sees the old file or the new one, never half of one. On failure
    /// the temporary file is removed. `sync` forces the data to disk before the rename, so the new
    /// name never points at data still in memory when the machine stops (a cost per file).
    public static func writeAtomically(_ bytes: [UInt8], to path: String, sync: Bool = true,
                                       permissions: UInt32 = 0o644) throws(SystemError) {
        let temporary = temporaryName(beside: path)
        do throws(SystemError) {
            let file = try FileDescriptor.open(temporary, .createNew, permissions: permissions)
            try file.write(bytes)
            if sync { try file.sync() }
            try file.close()
            try rename(temporary, to: path)
        } catch {
            _ = unlink(temporary)
            throw error
        }
    }

    /// Replaces `path` with the UTF-8 of `text`, atomically (see `writeAtomically(_:to:)`).
    public static func writeAtomically(_ text: String, to path: String, sync: Bool = true) throws(SystemError) {
        try writeAtomically(Array(text.utf8), to: path, sync: sync)
    }

    /// `path`'s directory ("." when it has none, "/" for a file at the root) and last component.
    public static func split(path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    /// A name for a temporary file next to `path` (same directory, so a rename is atomic): hidden,
    /// and unique per process and call.
    public static func temporaryName(beside path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let random = UInt64.random(in: 0...UInt64.max) & 0xFF_FFFF
        return "\(directory).\(name).tmp-\(getpid())-\(random)"
    }

    /// The whole file at `path`; nil when it is longer than `limit` bytes.
    public static func read(_ path: String, limit: Int = Int.max) throws(SystemError) -> [UInt8]? {
        try FileDescriptor.open(path, .read).readToEnd(limit: limit)
    }

    /// What stat(2) (or lstat(2) with `followLinks` off) says about `path`.
    public static func status(_ path: String, followLinks: Bool = true) throws(SystemError) -> FileStatus {
        var info = stat()
        if followLinks {
            try systemCall("stat", path: path) { stat(path, &info) }
        } else {
            try systemCall("lstat", path: path) { lstat(path, &info) }
        }
        return FileStatus(info)
    }

    /// Whether anything exists at `path` (a dangling symbolic link counts as nothing).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether this process may read `path`.
    public static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    /// Throws (naming the path) unless this process may read `path`.
    public static func checkReadable(_ path: String) throws(SystemError) {
        try systemCall("access", path: path) { access(path, R_OK) }
    }

    /// The names in `directory` except `.` and `..`, in the order the file system gives them.
    public static func contents(ofDirectory directory: String) throws(SystemError) -> [String] {
        guard let handle = opendir(directory) else { throw SystemError("opendir", path: directory, code: errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Renames `source` to `destination`, replacing it (atomic within one file system).
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        try systemCall("rename", path: source) { posixRename(source, destination) }
    }

    /// Removes the file at `path`.
    public static func remove(_ path: String) throws(SystemError) {
        try systemCall("unlink", path: path) { unlink(path) }
    }
}
