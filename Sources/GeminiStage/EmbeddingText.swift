// EmbeddingText: the text embed embeds for a record — the compact text of its description (the
// reference's objects, environment, genre, lighting, colours and visible text), or any string
// field named by --text-field — or the error record of a record that has none.
import Analysis
import Records

public enum EmbeddingText: Sendable, Equatable {
    /// `CompactText` of the record's `description`.
    case description
    /// A string field, by its dotted path (`summary`, `description.summary`).
    case field(String)

    /// The text of `record`, or nil when it has none (or only an empty one).
    public func text(of record: Record) -> String? {
        let text: String?
        switch self {
        case .description:
            guard let description = record["description"], !description.isNull else { return nil }
            text = CompactText.text(from: description)
        case .field(let path):
            text = record.value(at: path.split(separator: ".").map(String.init))?.stringValue
        }
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
        return text
    }

    /// The field a record without text lacks, for its error record.
    var fieldName: String {
        switch self {
        case .description: return "description"
        case .field(let path): return path
        }
    }

    /// The error of a record with no text to embed.
    public func missingError(stage: String) -> RecordError {
        RecordError(stage: stage, code: "missing_field", message: "no text to embed: the record has no non-empty \(fieldName)",
                    retryable: false)
    }

    /// `record` as an error record: it has no text to embed.
    public func missing(_ record: Record, stage: String) -> Record {
        var out = record
        out.setError(missingError(stage: stage))
        return out
    }
}
