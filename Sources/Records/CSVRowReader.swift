// CSVRowReader: RFC 4180 rows from a LineReader — quoted fields with commas, doubled quotes
// and line breaks — for the reference tool's `image_name,description,categories` files.

/// Reads CSV rows one at a time; a quoted field may span lines.
public final class CSVRowReader {
    public let lines: LineReader

    public init(_ lines: LineReader) {
        self.lines = lines
    }

    /// A row that ended inside a quoted field.
    public struct UnterminatedQuote: Error, CustomStringConvertible {
        public var line: Int
        public var description: String { "a quoted field opened on line \(line) is never closed" }
    }

    /// The next row's fields and the line it starts on; nil at the end of the input.
    /// Blank lines are skipped.
    public func next() throws -> (fields: [String], line: Int)? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var startLine = 0
        while true {
            let more: Bool? = try lines.withNextLine { bytes, _ in
                if startLine == 0 {
                    startLine = lines.lineNumber
                    if bytes.isEmpty { startLine = 0; return true }
                } else {
                    field.append(0x0A)  // the line break inside a quoted field
                }
                var i = 0
                while i < bytes.count {
                    let byte = bytes[i]
                    if inQuotes {
                        if byte == 0x22 {
                            if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                                field.append(0x22)
                                i += 1
                            } else {
                                inQuotes = false
                            }
                        } else {
                            field.append(byte)
                        }
                    } else if byte == 0x22 {
                        inQuotes = true
                    } else if byte == 0x2C {
                        fields.append(String(decoding: field, as: UTF8.self))
                        field.removeAll(keepingCapacity: true)
                    } else {
                        field.append(byte)
                    }
                    i += 1
                }
                return inQuotes || startLine == 0
            }
            guard let more else {
                if inQuotes { throw UnterminatedQuote(line: startLine) }
                return nil
            }
            if !more { break }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return (fields, startLine)
    }
}
