// KeywordText: the text whose terms `--field keywords` counts — the record's `embedding_text`
// (what embed embedded), else the compact text of its `description`, as the reference counts
// keywords in the compact texts — and its terms by scikit-learn's analyzer.
import Analysis
import Records

enum KeywordText {
    /// The record's text; nil when it has neither an `embedding_text` nor a `description`.
    static func text(of record: Record) -> String? {
        if let text = record["embedding_text"]?.stringValue { return text }
        guard let description = record["description"], !description.isNull else { return nil }
        return CompactText.text(from: description)
    }

    /// Every term occurrence of `text`, in order.
    static func terms(_ text: String) -> [String] { Tokenizer.terms(text) }
}
