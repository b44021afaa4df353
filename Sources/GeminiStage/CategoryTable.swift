// CategoryTable: the reference tool's file formats — the categories CSV (a Category header,
// one name per row) and the output table image_name,description,categories ("a, b").
import Gemini
import Records

public enum CategoryTable {
    public static let csvHeader = "image_name,description,categories"

    public static func csvLine(_ record: Record) -> String {
        let name = record["name"]?.stringValue ?? record.id ?? ""
        let description = CategoryPrompt.descriptionText(of: record) ?? record.error?.message ?? ""
        let categories = record["categories"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ""
        return [name, description, categories].map(quote).joined(separator: ",")
    }

    public static func categoriesCSV(_ names: [String]) -> String {
        (["Category"] + names.map(quote)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting where needed.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
