// LineReader: reads a file or stdin in large chunks and hands out one line at a time from its
// own buffer (no copy), so memory stays constant whatever the input size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix

/// Reads newline-terminated lines from a file descriptor. `\r\n` endings and a UTF-8 byte-order
/// mark on the first line are removed.
public final class LineReader {
    /// "stdin" or the path, for messages.
    public let name: String
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    /// Byte offset in the input where the line last returned starts (for an index of lines,
    /// such as merge-shards' id → offset map).
    public private(set) var lineOffset = 0
    /// Called before each read(2) that may block: writers flush here so a pipeline downstream
    /// sees results while this tool waits for input. Its error (a failed write) ends the read.
    public var beforeRead: (() throws -> Void)?
    /// Called when read(2) is interrupted by a signal; returning true ends the input there.
    public var shouldStop: (() -> Bool)?
    /// Lines longer than this are cut into an error instead of growing memory without bound.
    public let maximumLineLength: Int

    private let file: FileDescriptor
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var atEOF = false
    private var skippingLongLine = false
    /// Bytes of the input already moved out of the buffer (the offset of buffer[0]).
    private var discarded = 0

    /// Reads from `file` (closed when the reader goes away, unless it is borrowed).
    public init(file: consuming FileDescriptor, chunkSize: Int = 1 << 20, maximumLineLength: Int = 256 << 20) {
        self.name = file.path
        self.file = file
        self.capacity = chunkSize
        self.maximumLineLength = maximumLineLength
        self.buffer = .allocate(capacity: chunkSize)
    }

    /// Reads from a raw descriptor; `ownsDescriptor` closes it when the reader goes away.
    public convenience init(fileDescriptor: Int32, name: String, ownsDescriptor: Bool = false,
                            chunkSize: Int = 1 << 20, maximumLineLength: Int = 256 << 20) {
        let file = ownsDescriptor ? FileDescriptor(owning: fileDescriptor, path: name)
                                  : FileDescriptor(borrowing: fileDescriptor, path: name)
        self.init(file: file, chunkSize: chunkSize, maximumLineLength: maximumLineLength)
    }

    /// Opens a file, or stdin for "-".
    public convenience init(path: String) throws {
        self.init(file: path == "-" ? FileDescriptor.standardInput() : try FileDescriptor.open(path, .read))
    }

    deinit {
        buffer.deallocate()
    }

    /// A line that did not fit in `maximumLineLength`.
    public struct LineTooLong: Error, CustomStringConvertible {
        public var line: Int
        public var description: String { "line \(line) is longer than the limit" }
    }

    /// Calls `body` with the next line's bytes (valid only during the call) and whether the line
    /// ended with a newline; returns nil at the end of the input.
    public func withNextLine<T>(_ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> T) throws -> T? {
        while true {
            if let newline = findNewline() {
                let lineStart = start
                start = newline + 1
                scanned = start
                if skippingLongLine {
                    skippingLongLine = false
                    continue
                }
                lineNumber += 1
                lineOffset = discarded + lineStart
                return try body(trimmed(from: lineStart, to: newline), true)
            }
            if atEOF {
                guard start < end, !skippingLongLine else { return nil }
                let lineStart = start
                start = end
                scanned = end
                lineNumber += 1
                lineOffset = discarded + lineStart
                return try body(trimmed(from: lineStart, to: end), false)
            }
            if end - start >= maximumLineLength {
                // Drop the rest of this line; report it once.
                start = end
                scanned = end
                if !skippingLongLine {
                    skippingLongLine = true
                    lineNumber += 1
                    throw LineTooLong(line: lineNumber)
                }
            }
            try fill()
        }
    }

    /// Reads the next line as a String (lossy UTF-8 decoding); nil at the end.
    public func nextLine() throws -> String? {
        try withNextLine { bytes, _ in String(decoding: bytes, as: UTF8.self) }
    }

    private func findNewline() -> Int? {
        guard scanned < end else { return nil }
        if let p = memchr(buffer + scanned, 0x0A, end - scanned) {
            return buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        scanned = end
        return nil
    }

    private func trimmed(from lineStart: Int, to lineEnd: Int) -> UnsafeBufferPointer<UInt8> {
        var first = lineStart
        var last = lineEnd
        if last > first, buffer[last - 1] == 0x0D { last -= 1 }
        if lineNumber == 1, last - first >= 3, buffer[first] == 0xEF, buffer[first + 1] == 0xBB, buffer[first + 2] == 0xBF {
            first += 3
        }
        return UnsafeBufferPointer(start: buffer + first, count: last - first)
    }

    private func fill() throws {
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            discarded += start
            scanned -= start
            end = pending
            start = 0
        }
        if end == capacity {
            let newCapacity = capacity * 2
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        try beforeRead?()
        let space = UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end)
        guard let n = try file.read(into: space, stopOnInterrupt: { shouldStop?() == true }), n > 0 else {
            atEOF = true
            return
        }
        end += n
    }
}

extension LineReader {
    /// A whole text file (for small files such as settings and prompts), lines joined with "\n".
    public static func readText(path: String) throws -> String {
        let reader = try LineReader(path: path)
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
