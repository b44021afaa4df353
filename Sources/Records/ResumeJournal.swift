// ResumeJournal: the file behind `-o FILE`. On open it reads what an earlier run wrote, cuts a
// torn last line, drops error records that will be retried, and remembers which ids are done;
// new records are appended. Each id ends up in the file once without an error; error records
// (a duplicate_id among them) may share an id with it.
import Posix

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
    /// Held from before the file is read until `close()`: one run at a time.
    private let lock: OutputLock
    public private(set) var recovery = Recovery()
    /// Appends to the journal.
    public let writer: NDJSONWriter
    private var done = HashSet128()
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
        if let status = try? FileSystem.status(path), !status.isRegularFile {
            throw NotARegularFile(path: path)
        }
        lock = try OutputLock(for: path)
        try Self.removeStaleCompactionFiles(of: path)
        var needsCompaction = false
        var recovery = Recovery()
        var done = HashSet128()
        var keptErrors: [StableHash: Int32] = [:]

        if FileSystem.exists(path) {
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

        self.writer = NDJSONWriter(file: try FileDescriptor.open(path, .append), flushEachRecord: flushEachRecord)
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

    /// Why the file system gave no lock (the run is not guarded against a second one), or nil.
    public var lockUnavailable: String? { lock.unavailable }

    /// Lets another run open the file (its records are written: call after the last sync).
    public func close() {
        lock.release()
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
        let file = try FileDescriptor.open(path, .readWrite)
        let size = try file.status().size
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var end = size
        while end > 0 {
            let start = max(0, end - chunk.count)
            let n = try file.readFully(into: &chunk, count: end - start, at: start)
            // The file shrank under us: another process is writing it.
            guard n == end - start else { throw SystemError.fileShrank("read", path: path) }
            if let newline = chunk[0..<n].lastIndex(of: 0x0A) {
                let keep = start + newline + 1
                if keep == size { return 0 }
                try file.truncate(to: keep)
                return size - keep
            }
            end = start
        }
        if size > 0 { try file.truncate(to: 0) }
        return size
    }

    /// Rewrites the journal without error records (when retrying) and unreadable lines, through
    /// a temporary file renamed over the original, so a crash here loses nothing.
    private static func compact(path: String, retryErrors: Bool) throws {
        let temporary = "\(path).compact-\(CurrentProcess.id)"
        let writer = NDJSONWriter(file: try FileDescriptor.open(temporary, .truncate))
        let reader = try LineReader(path: path)
        while let _: Void = try reader.withNextLine({ bytes, _ in
            guard let value = try? JSONParser.parse(bytes), let record = value.objectValue else { return }
            if retryErrors && record.hasError { return }
            try writer.writeLine(bytes)
        }) {}
        try writer.sync()
        try FileSystem.rename(temporary, to: path)
    }

    private static func removeStaleCompactionFiles(of path: String) throws {
        let (directory, base) = FileSystem.split(path: path)
        guard let names = try? FileSystem.contents(ofDirectory: directory) else { return }
        for name in names where name.hasPrefix(base + ".compact-") {
            try? FileSystem.remove(directory + "/" + name)
        }
    }
}
