// NameList: reads the reference tool's name lists — one file name a line, optionally a CSV with
// a header and quoted fields — into plain names. Blank lines, a BOM and CRLF are handled by
// the line reader; this handles the header and the CSV quoting. A name is taken as written:
// only an unquoted cell's surrounding blanks go, as in CSV; a quoted cell keeps its spaces.
import Records

/// Turns the lines of a name list into file names; remembers the header and the name column.
public final class NameList {
    /// Header words that name the file-name column.
    static let headerWords: Set<String> = ["name", "filename", "file_name", "file", "image", "image_name", "imagename",
                                           "key", "path", "filepath", "file_path"]
    private var sawFirstLine = false
    private var column = 0
    /// True when the first line was a header (and so produced no name).
    public private(set) var hadHeader = false

    public init() {}

    /// Whether this line is the list's header (only the first line can be). Call it for every
    /// line, in order, before `name(fromLine:)`.
    public func isHeader(_ line: String) -> Bool {
        guard !sawFirstLine else { return false }
        sawFirstLine = true
        let fields = Self.csvFields(line)
        if let index = fields.firstIndex(where: { Self.headerWords.contains($0.lowercased()) }) {
            column = index
            hadHeader = true
            return true
        }
        // A single word without an extension ("images") is a header, not a file name.
        if fields.count == 1, !fields[0].contains("."), fields[0].count < 20,
           fields[0].allSatisfy({ $0.isLetter || $0 == "_" || $0 == " " }) {
            hadHeader = true
            return true
        }
        return false
    }

    /// The file name on a (non-header) line; empty when its field is empty.
    public func name(fromLine line: String) -> String {
        let fields = Self.csvFields(line)
        return column < fields.count ? fields[column] : ""
    }

    /// Splits a CSV line: commas separate fields, `"…"` quotes a field, `""` is a quote inside it.
    /// Surrounding blanks of unquoted fields are dropped.
    public static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var wasQuoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(character)
                }
            } else if wasQuoted, character == " " || character == "\t" {
                continue   // blanks after a closing quote belong to no name
            } else if character == "\"", field.trimmingBlanks().isEmpty {
                field = ""
                inQuotes = true
                wasQuoted = true
            } else if character == "," {
                fields.append(wasQuoted ? field : field.trimmingBlanks())
                field = ""
                wasQuoted = false
            } else {
                field.append(character)
            }
        }
        fields.append(wasQuoted ? field : field.trimmingBlanks())
        return fields
    }

    /// The extension without its dot, lowercased (`""` when there is none).
    public static func fileExtension(_ name: Substring) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return name[name.utf8.index(after: dot)...].lowercased()
    }
}
