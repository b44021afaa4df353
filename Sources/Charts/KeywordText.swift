// TEMPORARY until main's Analysis lands (not committed).
import Records
enum KeywordText {
    static func text(of record: Record) -> String? { record["embedding_text"]?.stringValue }
    static func terms(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
}
