// NDJSONWriter: writes records as lines, each whole line in one write(2) with the lines before
// it, so a crash can tear at most the last line. Buffers for speed but never holds a result
// for long: it flushes at 64 KiB, after `maximumDelay`, or when told to.
import Posix

/// Writes records to a file descriptor, one compact JSON object per line.
public final class NDJSONWriter {
    public let name: String
    /// Flush after every record (for expensive results such as model answers).
    public var flushEachRecord: Bool
    /// Longest time a written record may wait in the buffer, in seconds.
    public var maximumDelay: Double = 0.1
    public private(set) var recordsWritten = 0
    public private(set) var bytesWritten = 0

    private let file: FileDescriptor
    private var pending: [UInt8] = []
    private var oldestPending: Double = 0
    private let flushThreshold = 64 << 10

    /// Writes to `file` (closed when the writer goes away, unless it is borrowed).
    public init(file: consuming FileDescriptor, flushEachRecord: Bool = false) {
        self.name = file.path
        self.file = file
        self.flushEachRecord = flushEachRecord
        pending.reserveCapacity(flushThreshold + 4096)
    }

    /// Writes to a raw descriptor; `ownsDescriptor` closes it when the writer goes away.
    public convenience init(fileDescriptor: Int32, name: String, ownsDescriptor: Bool = false, flushEachRecord: Bool = false) {
        let file = ownsDescriptor ? FileDescriptor(owning: fileDescriptor, path: name)
                                  : FileDescriptor(borrowing: fileDescriptor, path: name)
        self.init(file: file, flushEachRecord: flushEachRecord)
    }

    /// Standard output.
    public static func standardOutput(flushEachRecord: Bool = false) -> NDJSONWriter {
        NDJSONWriter(file: FileDescriptor.standardOutput(), flushEachRecord: flushEachRecord)
    }

    deinit {
        try? flush()
    }

    /// The reader of the other end went away (EPIPE).
    public struct BrokenPipe: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name): the reading end was closed" }
    }

    public func write(_ record: Record) throws {
        if pending.isEmpty { oldestPending = monotonicSeconds() }
        JSONSerializer.append(record, to: &pending)
        pending.append(0x0A)
        recordsWritten += 1
        if flushEachRecord || pending.count >= flushThreshold || monotonicSeconds() - oldestPending >= maximumDelay {
            try flush()
        }
    }

    /// Writes raw bytes that already form whole lines.
    public func writeLine(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if pending.isEmpty { oldestPending = monotonicSeconds() }
        pending.append(contentsOf: bytes)
        pending.append(0x0A)
        recordsWritten += 1
        if flushEachRecord || pending.count >= flushThreshold { try flush() }
    }

    public func flush() throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        do throws(SystemError) {
            try file.write(pending)
        } catch where error.isBrokenPipe {
            throw BrokenPipe(name: name)
        }
        bytesWritten += pending.count
    }

    /// Forces written data to the disk (for journal files).
    public func sync() throws {
        try flush()
        try file.sync()
    }
}
