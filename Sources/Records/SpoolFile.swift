// SpoolFile: an unnamed temporary file that records are appended to and read back from by
// offset. It lets a tool keep millions of names on disk (in the page cache) instead of in its
// heap: the name has no directory entry from the start, so nothing is left behind by a crash
// and nothing half-written ever sits under a final name.
import Posix

/// An append-only scratch file with buffered writes and a read window.
public final class SpoolFile {
    private let file: FileDescriptor
    /// Bytes written to the file; later ones wait in `pending`.
    private var flushed = 0
    private var pending: [UInt8] = []
    private var window: [UInt8] = []
    private var windowStart = 0
    private let windowSize: Int
    private static let flushSize = 1 << 20

    /// A new spool under `directory` (unlinked at once); `windowSize` bytes are read per miss.
    public init(directory: String, prefix: String, windowSize: Int = 1 << 16) throws(SystemError) {
        file = try FileDescriptor.anonymousTemporaryFile(in: directory, prefix: prefix)
        self.windowSize = windowSize
        pending.reserveCapacity(Self.flushSize)
    }

    /// Where the next append goes.
    public var endOffset: Int { flushed + pending.count }

    /// Appends a record; returns its offset.
    @discardableResult
    public func append(_ bytes: some Collection<UInt8>) throws(SystemError) -> Int {
        let offset = endOffset
        pending.append(contentsOf: bytes)
        if pending.count >= Self.flushSize { try flush() }
        return offset
    }

    /// Pads with zeros to a multiple of `alignment`.
    public func align(to alignment: Int) throws(SystemError) {
        let rest = endOffset % alignment
        if rest != 0 { try append(repeatElement(UInt8(0), count: alignment - rest)) }
    }

    /// Writes the buffered bytes to the file.
    public func flush() throws(SystemError) {
        guard !pending.isEmpty else { return }
        let result = pending.withUnsafeBytes { bytes in Result { () throws(SystemError) in try file.write(bytes, at: flushed) } }
        try result.get()
        flushed += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with `count` bytes from `offset` (valid only during the call).
    public func withBytes<T>(at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        precondition(offset >= 0 && offset + count <= endOffset, "spool read past its end")
        if offset >= flushed {
            return try pending.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[(offset - flushed)..<(offset - flushed + count)])) }
        }
        if offset + count > flushed { try flush() }
        if offset < windowStart || offset + count > windowStart + window.count {
            let size = min(max(windowSize, count), flushed - offset)
            if window.count != size { window = [UInt8](repeating: 0, count: size) }
            let got = try file.readFully(into: &window, count: size, at: offset)
            guard got == size else { throw SystemError.fileShrank("read", path: file.path) }
            windowStart = offset
        }
        return try window.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[(offset - windowStart)..<(offset - windowStart + count)])) }
    }

    /// A reader of consecutive fields from `offset`.
    public func cursor(at offset: Int) -> Cursor { Cursor(spool: self, offset: offset) }

    /// Reads fields one after another; each read advances `offset`.
    public struct Cursor {
        public let spool: SpoolFile
        public var offset: Int

        public var atEnd: Bool { offset >= spool.endOffset }

        public mutating func byte() throws -> UInt8 {
            let value = try spool.withBytes(at: offset, count: 1) { $0[0] }
            offset += 1
            return value
        }

        /// An unsigned LEB128 number.
        public mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                value |= UInt64(b & 0x7f) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        /// A length-prefixed string.
        public mutating func string() throws -> String {
            let count = Int(try varint())
            let value = try spool.withBytes(at: offset, count: count) { String(decoding: $0, as: UTF8.self) }
            offset += count
            return value
        }

        /// Whether the next `count` bytes equal `other` (advances past them).
        public mutating func bytesEqual(_ count: Int, _ other: UnsafeRawBufferPointer) throws -> Bool {
            let equal = try count == other.count && spool.withBytes(at: offset, count: count) { $0.elementsEqual(other) }
            offset += count
            return equal
        }
    }
}

/// Builds a spool record: varints and length-prefixed strings.
public struct SpoolRecord {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }
}
