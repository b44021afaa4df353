// Files: reading images whole, and writing charts, pages and thumbnails whole and atomically
// (a temporary name, then rename), so a reader never sees half a file.
import Records

public enum Files {
    /// Writes `bytes` to `path` through `path.tmp-PID` and a rename.
    public static func write(_ bytes: [UInt8], to path: String) throws(ChartError) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ChartError("\(SystemError("create", path: path))") }
        var failure: SystemError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    failure = SystemError("write", path: path)
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0, failure == nil { failure = SystemError("close", path: path) }
        if failure == nil, rename(temporary, path) != 0 { failure = SystemError("rename", path: path) }
        if let failure {
            unlink(temporary)
            throw ChartError("\(failure)")
        }
    }

    public static func write(_ text: String, to path: String) throws(ChartError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws(ChartError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw ChartError("\(SystemError("create directory", path: current))")
            }
        }
    }

    /// The whole file; nil when it cannot be opened or is larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 512 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return nil }
        }
    }

    /// Whether a file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
