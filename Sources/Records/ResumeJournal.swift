// ResumeJournal: the file behind `-o FILE`. On open it reads what an earlier run wrote, cuts a
// torn last line, drops error records that will be retried, and remembers which ids are done;
// new records are appended. Each id ends up in the file once without an error; error records
// (a duplicate_id among them) may share an id with it.

/// An output file that doubles as the checkpoint of a resumable run.
public final class ResumeJournal {
    /// What opening the journal found and repaired.
    public struct Recovery: Sendable, Equatable {
        /// Records kept from earlier runs (their ids are skipped now).
        public var recordsKept = 0
        /// Error records removed so their ids are processed again.
        public var errorsToRetry = 0
        /// Bytes of an incomplete last line, cut off.
        public var tornBytesCut = 0
        /// Complete lines that were not JSON objects, removed.
        public var unreadableLinesDropped = 0
    }

    public let path: String
    public private(set) var recovery = Recovery()
    /// Appends to the journal.
    public let writer: NDJSONWriter
    private var done: Set<StableHash> = []
    /// With retryErrors off: how many error records each key has in the file, so a rerun that
    /// meets the same duplicate or upstream error again writes it once, not twice.
    private var keptErrors: [StableHash: Int32] = [:]

    /// The key the journal tracks for a record: its `id`, or for an id-less record its input
    /// line (bad input lines), or nil when the record cannot be tracked.
    public static func key(for record: Record) -> String? {
        if let id = record.id { return id }
        if let line = record["line"]?.intValue {
            return "\u{1}\(record["input"]?.stringValue ?? ""):\(line)"
        }
        return nil
    }

    /// Opens (creating if needed) and recovers the journal at `path`.
    /// - Parameter retryErrors: drop earlier error records so their ids run again (the default);
    ///   false keeps them and skips their ids.
    public init(path: String, retryErrors: Bool = true, flushEachRecord: Bool = false) throws {
        self.path = path
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw NotARegularFile(path: path)
        }
        try Self.removeStaleCompactionFiles(of: path)
        var needsCompaction = false
        var recovery = Recovery()
        var done: Set<StableHash> = []
        var keptErrors: [StableHash: Int32] = [:]

        if access(path, F_OK) == 0 {
            recovery.tornBytesCut = try Self.cutTornLastLine(path)
            let reader = try RecordReader(path: path)
            while let item = try reader.next() {
                switch item {
                case .record(let record, _):
                    if record.hasError && retryErrors {
                        recovery.errorsToRetry += 1
                        needsCompaction = true
                    } else {
                        recovery.recordsKept += 1
                        if let key = Self.key(for: record) {
                            done.insert(StableHash(key))
                            if record.hasError { keptErrors[StableHash(key), default: 0] += 1 }
                        }
                    }
                case .invalid, .text:
                    recovery.unreadableLinesDropped += 1
                    needsCompaction = true
                }
            }
        }
        if needsCompaction { try Self.compact(path: path, retryErrors: retryErrors) }

        let out = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw SystemError("open for append", path: path) }
        self.writer = NDJSONWriter(fileDescriptor: out, name: path, ownsDescriptor: true, flushEachRecord: flushEachRecord)
        self.recovery = recovery
        self.done = done
        self.keptErrors = keptErrors
    }

    /// Whether a record with this key is already in the journal.
    public func contains(key: String) -> Bool {
        done.contains(StableHash(key))
    }

    public var doneCount: Int { done.count }

    /// Whether the file still holds an error record with this key from an earlier run (only
    /// with retryErrors off); each such record answers true once.
    public func takeKeptError(key: String) -> Bool {
        let hash = StableHash(key)
        guard let count = keptErrors[hash] else { return false }
        keptErrors[hash] = count > 1 ? count - 1 : nil
        return true
    }

    /// Appends a record and remembers its key.
    public func append(_ record: Record) throws {
        try writer.write(record)
        if let key = Self.key(for: record), !(record.hasError) { done.insert(StableHash(key)) }
    }

    /// The journal is read back to resume: a device would never end (/dev/zero, /dev/full) and a
    /// pipe would block, so only a regular file (or a new name) will do.
    public struct NotARegularFile: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path) is not a regular file; -o is read back to resume (use > for a pipe or device)" }
    }

    // MARK: - Recovery helpers

    /// A run killed in the middle of a write can leave a last line without its newline: cut it
    /// off (it will be produced again). Returns the number of bytes removed.
    private static func cutTornLastLine(_ path: String) throws -> Int {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError("stat", path: path) }
        let size = Int(info.st_size)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var end = size
        while end > 0 {
            let start = max(0, end - chunk.count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, end - start, off_t(start)) }
            guard n == end - start else { throw SystemError("read", path: path) }
            if let newline = chunk[0..<n].lastIndex(of: 0x0A) {
                let keep = start + newline + 1
                if keep == size { return 0 }
                guard ftruncate(fd, off_t(keep)) == 0 else { throw SystemError("truncate", path: path) }
                return size - keep
            }
            end = start
        }
        if size > 0, ftruncate(fd, 0) != 0 { throw SystemError("truncate", path: path) }
        return size
    }

    /// Rewrites the journal without error records (when retrying) and unreadable lines, through
    /// a temporary file renamed over the original, so a crash here loses nothing.
    private static func compact(path: String, retryErrors: Bool) throws {
        let temporary = "\(path).compact-\(getpid())"
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw SystemError("open", path: temporary) }
        let writer = NDJSONWriter(fileDescriptor: out, name: temporary, ownsDescriptor: true)
        let reader = try LineReader(path: path)
        while let _: Void = try reader.withNextLine({ bytes, _ in
            guard let value = try? JSONParser.parse(bytes), let record = value.objectValue else { return }
            if retryErrors && record.hasError { return }
            try writer.writeLine(bytes)
        }) {}
        try writer.sync()
        guard rename(temporary, path) == 0 else { throw SystemError("rename", path: temporary) }
    }

    private static func removeStaleCompactionFiles(of path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let dir = opendir(directory.isEmpty ? "/" : directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(base + ".compact-") { unlink(directory + "/" + name) }
        }
    }
}
