// Files: reading images whole, and writing charts, pages and thumbnails whole and atomically
// (a temporary name, then rename), so a reader never sees half a file.
import Posix

public enum Files {
    /// Writes `bytes` to `path` through a temporary file beside it and a rename.
    public static func write(_ bytes: [UInt8], to path: String) throws(ChartError) {
        do throws(SystemError) {
            try FileSystem.writeAtomically(bytes, to: path, sync: false)
        } catch {
            throw ChartError("\(SystemError(error.call, path: path, code: error.code))")
        }
    }

    public static func write(_ text: String, to path: String) throws(ChartError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws(ChartError) {
        do throws(SystemError) { try FileSystem.makeDirectories(path) } catch { throw ChartError("\(error)") }
    }

    /// The whole file; nil when it cannot be opened or is larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 512 << 20) -> [UInt8]? {
        (try? FileSystem.read(path, limit: limit)) ?? nil
    }

    /// Whether a file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        FileSystem.exists(path)
    }
}
