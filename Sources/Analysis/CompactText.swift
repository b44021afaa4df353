// CompactText: the one-line text of a structured description that embed embeds and keywords are
// counted in — as the reference's analysis: objects (with their attributes), environment, genre,
// lighting, colours and visible text. Values only, no labels: a label such as "lighting" in
// every text would only add a word that every image shares.
import Records

public enum CompactText {
    /// Sections joined with "; ", items within a section with ", "; an object reads
    /// "ATTRIBUTES NAME" ("red vintage car"). A description that is a string is used as it is;
    /// "unknown" values (the schema's answer when unsure) are left out.
    public static func text(from description: JSONValue) -> String {
        if let text = description.stringValue { return text }
        guard let object = description.objectValue else { return "" }
        let objects = (object["objects"]?.arrayValue ?? []).compactMap { item -> String? in
            if let name = item.stringValue { return name }
            guard let name = item["name"]?.stringValue else { return nil }
            let attributes = strings(item["attributes"])
            return (attributes + [name]).joined(separator: " ")
        }
        let sections: [[String]] = [
            objects,
            strings(object["scene"]?["environment"]),
            strings(object["style"]?["genre"]),
            strings(object["style"]?["lighting"]),
            strings(object["style"]?["colors"]),
            strings(object["text"]),
        ]
        return sections.map { $0.filter(isKnown).joined(separator: ", ") }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A string, or the strings of an array; anything else gives none.
    private static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        if let string = value.stringValue { return [string] }
        return (value.arrayValue ?? []).compactMap(\.stringValue)
    }

    private static func isKnown(_ text: String) -> Bool {
        let trimmed = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace)
        return !trimmed.isEmpty && String(trimmed.reversed()).lowercased() != "unknown"
    }
}
