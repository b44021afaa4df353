// JSONExtraction: the first complete JSON value in a model's text. Structured output is valid
// JSON by construction, but replies still arrive wrapped in ``` fences or followed by a stray
// fragment; truncated JSON (MAX_TOKENS) is reported as such.
import Records

public enum JSONExtraction {
    public enum Failure: Error, Equatable, Sendable {
        /// No JSON value starts in the text.
        case noJSON
        /// A value starts but never ends (a cut-off answer).
        case truncated
        /// The balanced text does not parse.
        case invalid(String)
    }

    /// Parses the first balanced `{…}` or `[…]` in `text`.
    public static func firstValue(in text: String) throws(Failure) -> JSONValue {
        let bytes = Array(text.utf8)
        guard let start = bytes.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) else {
            throw .noJSON
        }
        var depth = 0
        var inString = false
        var escaped = false
        for i in start..<bytes.count {
            let c = bytes[i]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    do {
                        return try JSONParser.parse(Array(bytes[start...i]))
                    } catch {
                        throw .invalid(error.description)
                    }
                }
            default: break
            }
        }
        throw .truncated
    }
}
