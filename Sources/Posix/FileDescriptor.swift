// FileDescriptor: the one owner of an open file. It cannot be copied, so exactly one value
// closes it — by `close()` (which reports the error) or when it goes away; every call on it
// retries EINTR and throws a SystemError naming the path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor and the path (or stream name) it is for.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, for the few C APIs that take one.
    public let rawValue: Int32
    /// The path it was opened at, or "stdin"/"stdout"/"stderr": named in every error.
    public let path: String
    private var closesWhenDone: Bool

    /// Takes ownership of an open descriptor: it is closed when this value goes away.
    public init(owning rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
        self.closesWhenDone = true
    }

    /// Uses a descriptor someone else owns (standard streams): never closed here.
    public init(borrowing rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
        self.closesWhenDone = false
    }

    deinit {
        if closesWhenDone { _ = posixClose(rawValue) }
    }

    public static func standardInput() -> FileDescriptor { FileDescriptor(borrowing: 0, path: "stdin") }
    public static func standardOutput() -> FileDescriptor { FileDescriptor(borrowing: 1, path: "stdout") }
    public static func standardError() -> FileDescriptor { FileDescriptor(borrowing: 2, path: "stderr") }

    // MARK: Opening

    /// How a file is opened. Every mode sets close-on-exec.
    public enum Mode: Sendable {
        /// Read an existing file.
        case read
        /// Read and write an existing file in place.
        case readWrite
        /// Read and write in place, creating the file if needed.
        case readWriteCreating
        /// Write from the start without emptying, creating the file if needed.
        case write
        /// Append, creating the file if needed.
        case append
        /// Write from the start, creating the file or emptying it.
        case truncate
        /// Create a new file; fails (EEXIST) if the name is taken.
        case createNew

        var flags: Int32 {
            switch self {
            case .read: O_RDONLY
            case .readWrite: O_RDWR
            case .readWriteCreating: O_RDWR | O_CREAT
            case .write: O_WRONLY | O_CREAT
            case .append: O_WRONLY | O_APPEND | O_CREAT
            case .truncate: O_WRONLY | O_CREAT | O_TRUNC
            case .createNew: O_WRONLY | O_CREAT | O_EXCL
            }
        }
    }

    /// Opens `path`; new files get `permissions` (before the umask). With `followLinks` off, a
    /// symbolic link at `path` is refused (ELOOP) instead of written through.
    public static func open(_ path: String, _ mode: Mode, permissions: UInt32 = 0o644,
                            followLinks: Bool = true) throws(SystemError) -> FileDescriptor {
        let flags = mode.flags | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW)
        let raw = try systemCall("open", path: path) { posixOpen(path, flags, mode_t(permissions)) }
        return FileDescriptor(owning: raw, path: path)
    }

    /// A new file under `directory` that has no name (unlinked at once): it lives while this value
    /// is open and can be reached as /proc/self/fd/N.
    public static func anonymousTemporaryFile(in directory: String = "/tmp", prefix: String) throws(SystemError) -> FileDescriptor {
        var template = Array("\(directory)/\(prefix)XXXXXX".utf8CString)
        let raw = try systemCall("mkstemp", path: directory) {
            template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = unlink(path)
        return FileDescriptor(owning: raw, path: path)
    }

    // MARK: Reading and writing

    /// Reads up to `buffer.count` bytes; 0 means the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try systemCall("read", path: path) { posixRead(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads like `read(into:)`, but when a signal interrupts the wait asks `stop` whether to give
    /// up; nil then.
    public func read(into buffer: UnsafeMutableRawBufferPointer, stopOnInterrupt stop: () -> Bool) throws(SystemError) -> Int? {
        try interruptibleSystemCall("read", path: path, stop: stop) { posixRead(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        try systemCall("read", path: path) { pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Fills `buffer` from `offset`, stopping early only at the end of the file; returns the count.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + done)
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Fills the first `count` bytes of `bytes` (all of them by default) from `offset`, stopping
    /// early only at the end of the file; returns how many were read.
    public func readFully(into bytes: inout [UInt8], count: Int? = nil, at offset: Int) throws(SystemError) -> Int {
        let count = min(count ?? bytes.count, bytes.count)
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemError) in
                try readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), at: offset)
            }
        }
        return try result.get()
    }

    /// The rest of the file from the current position; nil when it is longer than `limit` bytes.
    public func readToEnd(limit: Int) throws(SystemError) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let result = chunk.withUnsafeMutableBytes { buffer in Result { () throws(SystemError) in try read(into: buffer) } }
            let count = try result.get()
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return nil }
        }
    }

    /// Writes all of `bytes`, continuing after short writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = try systemCall("write", path: path) {
                posixWrite(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            }
            guard count > 0 else { throw SystemError("write", path: path, code: EIO) }
            offset += count
        }
    }

    /// Writes all of `bytes` at `offset` without moving the file position.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let count = try systemCall("write", path: path) {
                pwrite(rawValue, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            }
            guard count > 0 else { throw SystemError("write", path: path, code: EIO) }
            done += count
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(SystemError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try write(buffer) } }.get()
    }

    /// Writes the UTF-8 of `text`.
    public func write(_ text: String) throws(SystemError) {
        var text = text
        try text.withUTF8 { buffer in Result { () throws(SystemError) in try write(UnsafeRawBufferPointer(buffer)) } }.get()
    }

    // MARK: The file itself

    /// Forces written data to the disk. A descriptor that cannot be synced (a pipe, a terminal,
    /// a read-only file system: EINVAL, EROFS) is not an error: there is nothing to make durable.
    public func sync() throws(SystemError) {
        do throws(SystemError) {
            try systemCall("fsync", path: path) { fsync(rawValue) }
        } catch where error.code == EINVAL || error.code == EROFS {
            return
        }
    }

    /// Moves the file position to `offset` from the start.
    public func seek(to offset: Int) throws(SystemError) {
        try systemCall("seek", path: path) { lseek(rawValue, off_t(offset), SEEK_SET) }
    }

    /// Cuts (or extends) the file to `size` bytes.
    public func truncate(to size: Int) throws(SystemError) {
        try systemCall("truncate", path: path) { ftruncate(rawValue, off_t(size)) }
    }

    /// Takes an exclusive advisory lock (flock(2)) on the file, waiting for other holders:
    /// processes appending to one file (shards under `xargs -P`) take turns. Closing the file
    /// releases it too.
    public func lockExclusively() throws(SystemError) {
        try systemCall("flock", path: path) { flock(rawValue, LOCK_EX) }
    }

    /// Takes the exclusive flock(2) lock if nobody holds it: false (at once, without waiting)
    /// when another open file holds it.
    public func tryLockExclusively() throws(SystemError) -> Bool {
        while flock(rawValue, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw SystemError("flock", path: path, code: errno)
        }
        return true
    }

    /// Releases the lock of `lockExclusively`.
    public func unlock() {
        _ = flock(rawValue, LOCK_UN)
    }

    /// What fstat(2) says about the open file.
    public func status() throws(SystemError) -> FileStatus {
        var info = stat()
        try systemCall("stat", path: path) { fstat(rawValue, &info) }
        return FileStatus(info)
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(rawValue) == 1 }

    // MARK: Closing

    /// Closes now and reports a failure (a write the kernel could only fail at close, on NFS or a
    /// full disk). The descriptor is released even then; it is never closed twice.
    public consuming func close() throws(SystemError) {
        guard closesWhenDone else { return }
        closesWhenDone = false  // the deinit that runs as this value ends leaves it alone
        // Not retried on EINTR: on Linux the descriptor is released whatever close returns.
        if posixClose(rawValue) != 0 { throw SystemError("close", path: path, code: errno) }
    }

    /// Leaves the descriptor open for the rest of the process and returns its number (for a file
    /// that is reached through /proc/self/fd/N).
    public consuming func keepOpenUntilExit() -> Int32 {
        closesWhenDone = false
        return rawValue
    }
}
