// RecordReader: turns lines into records. A line that is not a JSON object never stops the
// run: it becomes an `invalid` item naming the file and line, which tools emit as an error record.

/// One input line, classified.
public enum InputItem: Sendable {
    /// A JSON object.
    case record(Record, line: Int)
    /// A line that is not JSON, when the reader accepts plain text (e.g. a path per line).
    case text(String, line: Int)
    /// A line that cannot be used: `reason` says why.
    case invalid(line: Int, reason: String, raw: String)
}

/// Reads NDJSON records (optionally also plain-text lines) from one source.
public final class RecordReader {
    public enum Mode: Sendable {
        /// Every line must be a JSON object.
        case ndjson
        /// Lines starting with `{` are records; other non-blank lines are text; blank lines are skipped.
        case ndjsonOrText
    }

    public let lines: LineReader
    public let mode: Mode
    public var name: String { lines.name }

    public init(_ lines: LineReader, mode: Mode = .ndjson) {
        self.lines = lines
        self.mode = mode
    }

    public convenience init(path: String, mode: Mode = .ndjson) throws {
        self.init(try LineReader(path: path), mode: mode)
    }

    /// The next item, or nil at the end of the input.
    public func next() throws -> InputItem? {
        while true {
            let item: InputItem??
            do {
                item = try lines.withNextLine { bytes, _ in classify(bytes, line: lines.lineNumber) }
            } catch let error as LineReader.LineTooLong {
                return .invalid(line: error.line, reason: "line longer than \(lines.maximumLineLength) bytes", raw: "")
            }
            guard let item else { return nil }
            if let item { return item }
        }
    }

    /// Returns nil (outer value present) for a blank line to skip.
    private func classify(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> InputItem? {
        let first = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 }
        guard let first else {
            return mode == .ndjson ? .invalid(line: line, reason: "empty line", raw: "") : nil
        }
        if mode == .ndjsonOrText, bytes[first] != UInt8(ascii: "{") {
            // As written: a name or path may begin or end with a space (a CSV reader trims
            // unquoted cells itself).
            return .text(String(decoding: bytes, as: UTF8.self), line: line)
        }
        do {
            let value = try JSONParser.parse(bytes)
            guard case .object(let object) = value else {
                return .invalid(line: line, reason: "not a JSON object (\(Self.kind(of: value)))", raw: Self.excerpt(bytes))
            }
            return .record(object, line: line)
        } catch {
            return .invalid(line: line, reason: "not valid JSON: \(error)", raw: Self.excerpt(bytes))
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The start of a bad line, kept in its error record so a person can find it.
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 200) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes.prefix(limit)), as: UTF8.self)
    }
}

extension InputItem {
    public var line: Int {
        switch self {
        case .record(_, let line), .text(_, let line), .invalid(let line, _, _): return line
        }
    }

    /// The error record for an invalid line: `{"input", "line", "raw", "error"}`.
    public static func errorRecord(stage: String, source: String, line: Int, reason: String, raw: String) -> Record {
        var record = Record()
        record["input"] = .string(source)
        record["line"] = .int(line)
        if !raw.isEmpty { record["raw"] = .string(raw) }
        record.setError(RecordError(stage: stage, code: "bad_input", message: "\(source):\(line): \(reason)", retryable: false))
        return record
    }
}
