// CategoryTable: the reference tool's categories CSV (a Category header, one name per row).
// Its result tables are ReferenceCSV's.
import Gemini
import Records

public enum CategoryTable {
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
