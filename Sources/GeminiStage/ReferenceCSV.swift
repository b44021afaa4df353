// ReferenceCSV: the reference tool's two result files, made from records — the descriptions CSV
// (`image_name,description`, the description as the model's JSON text, that cell always quoted as
// its csv.QUOTE_ALL writes it) and the categorized CSV (`image_name,description,categories`,
// categories lower-cased, de-duplicated, sorted, joined with ", "; `unknown` when none) — and the
// `failed.csv` the error records go to instead (`image_name,stage,code,message`).
import Gemini
import Records

public enum ReferenceCSV {
    public enum Kind: String, Sendable {
        case descriptions, categorized

        public var header: String {
            switch self {
            case .descriptions: return "image_name,description"
            case .categorized: return "image_name,description,categories"
            }
        }
    }

    public static let failedHeader = "image_name,stage,code,message"

    /// The image's file name as the reference names it: the listed name, else the path's last
    /// part, else the id.
    public static func imageName(of record: Record) -> String {
        if let name = record["name"]?.stringValue, !name.isEmpty { return name }
        if let path = record.value(at: ["image", "path"])?.stringValue ?? record["path"]?.stringValue, !path.isEmpty {
            return String(path.split(separator: "/").last ?? path[...])
        }
        return record.id ?? ""
    }

    /// The description as the reference stores it: the model's JSON answer as text (a
    /// description that is already text stays as it is, a lone summary stands in); nil when the
    /// record has none.
    public static func descriptionText(of record: Record) -> String? {
        guard let description = record["description"], !description.isNull else {
            // Records from other describers may carry only a summary.
            return record["summary"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let text = description.stringValue { return text }
        return JSONSerializer.string(description)
    }

    /// "animals, nature": lower-cased, de-duplicated, sorted; "unknown" when there are none.
    public static func categoriesText(_ categories: [String]) -> String {
        // Words re-joined by single spaces: surrounding and doubled blanks go.
        let cleaned = Set(categories.map { $0.lowercased().split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty })
        return cleaned.isEmpty ? "unknown" : cleaned.sorted().joined(separator: ", ")
    }

    /// The row of a finished record, or why it has none (the record failed, or lacks the
    /// description or the categories this file needs).
    public static func row(_ record: Record, kind: Kind) -> Result<String, RecordError> {
        if let error = record.error, record.hasError { return .failure(error) }
        guard let description = descriptionText(of: record) else {
            return .failure(RecordError(stage: "csv", code: "no_description", message: "the record has no description (run gemini-describe first)", retryable: false))
        }
        let name = quoteIfNeeded(imageName(of: record))
        switch kind {
        case .descriptions:
            return .success(name + "," + quote(description))
        case .categorized:
            guard let categories = record["categories"]?.arrayValue else {
                return .failure(RecordError(stage: "csv", code: "no_categories", message: "the record has no categories (run categorize first)", retryable: false))
            }
            return .success(name + "," + quote(description) + "," + quoteIfNeeded(categoriesText(categories.compactMap(\.stringValue))))
        }
    }

    /// A `failed.csv` row: the image, the stage and code of its error, the message.
    public static func failedRow(_ record: Record, error: RecordError) -> String {
        [imageName(of: record), error.stage, error.code, error.message].map(quoteIfNeeded).joined(separator: ",")
    }

    /// Always quoted, quotes doubled (csv.QUOTE_ALL).
    static func quote(_ field: String) -> String {
        "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Quoted only when it must be (csv.QUOTE_MINIMAL, Python's default).
    static func quoteIfNeeded(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? quote(field) : field
    }
}
