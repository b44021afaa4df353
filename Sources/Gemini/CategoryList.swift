// CategoryList: the fixed list of category names an image may be put in — read from the
// reference CSV (a `Category` header, one per row), plain text (one per line) or NDJSON with
// `category` — and the forgiving match of a model's answer to the canonical spelling.
import Records

public struct CategoryList: Sendable {
    /// The special answer when no listed category fits.
    public static let unknown = "unknown"

    /// Canonical names in the list's order and spelling (without `unknown`).
    public let names: [String]
    /// Problems found while reading (duplicates, blank lines), for the log.
    public let problems: [String]
    private let byKey: [String: String]

    public init(names rawNames: [String], source: String = "categories") {
        var names: [String] = []
        var problems: [String] = []
        var byKey: [String: String] = [:]
        for (index, raw) in rawNames.enumerated() {
            let name = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if name.isEmpty {
                problems.append("\(source): entry \(index + 1) is blank (ignored)")
                continue
            }
            let key = Self.key(name)
            if let first = byKey[key] {
                problems.append("\(source): '\(name)' repeats '\(first)' (ignored)")
                continue
            }
            if key == Self.key(Self.unknown) { continue }
            byKey[key] = name
            names.append(name)
        }
        self.names = names
        self.problems = problems
        self.byKey = byKey
    }

    /// Reads a category file in any of the three formats.
    public static func load(path: String) throws -> CategoryList {
        let reader = try LineReader(path: path)
        var entries: [String] = []
        var problems: [String] = []
        var lineNumber = 0
        var sawHeader = false
        while let line = try reader.nextLine() {
            lineNumber += 1
            let trimmed = line.trimming(" \t")
            if trimmed.hasPrefix("{") {
                guard let value = try? JSONParser.parse(trimmed), let name = value["category"]?.stringValue else {
                    problems.append("\(path):\(lineNumber): not a record with \"category\" (ignored)")
                    continue
                }
                entries.append(name)
                continue
            }
            // CSV: the first column, unquoted; a `Category` header on the first line is skipped.
            var cell = CSVLine.firstField(trimmed)
            if lineNumber == 1, !sawHeader, cell.lowercased() == "category" || cell.lowercased() == "categories" {
                sawHeader = true
                continue
            }
            cell = cell.trimming(" \t")
            if cell.isEmpty {
                problems.append("\(path):\(lineNumber): blank line (ignored)")
                continue
            }
            entries.append(cell)
        }
        let list = CategoryList(names: entries, source: path)
        return CategoryList(names: list.names, problems: problems + list.problems)
    }

    private init(names: [String], problems: [String]) {
        var byKey: [String: String] = [:]
        for name in names { byKey[Self.key(name)] = name }
        self.names = names
        self.problems = problems
        self.byKey = byKey
    }

    /// Names the model may answer: the list plus `unknown`.
    public var allowedAnswers: [String] { names + [Self.unknown] }

    /// The canonical name for an answer, matching case, spacing, punctuation and plural
    /// forms loosely ("Group of People", "pet" → "pets"); nil when it is not listed.
    public func canonical(_ answer: String) -> String? {
        let key = Self.key(answer)
        if key == Self.key(Self.unknown) { return Self.unknown }
        return byKey[key]
    }

    /// A comparison key: lowercase letters and digits, words singularised.
    static func key(_ text: String) -> String {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.map { singular(String($0)) }.joined(separator: " ")
    }

    private static func singular(_ word: String) -> String {
        if word.count > 4, word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.count > 4, word.hasSuffix("ses") || word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") {
            return String(word.dropLast(2))
        }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { return String(word.dropLast()) }
        return word
    }

    /// Validates a model's answer for one image: canonical names, no repeats, at most two,
    /// `unknown` only alone; unlisted names are returned as warnings.
    public func validate(_ answers: [String]) -> (categories: [String], dropped: [String]) {
        var categories: [String] = []
        var dropped: [String] = []
        for answer in answers {
            guard let name = canonical(answer) else {
                dropped.append(answer)
                continue
            }
            if !categories.contains(name) { categories.append(name) }
        }
        let listed = categories.filter { $0 != Self.unknown }
        if !listed.isEmpty { categories = listed }
        return (Array(categories.prefix(2)), dropped)
    }
}

/// Just enough CSV to read a first field: quotes with doubled quotes inside.
enum CSVLine {
    static func firstField(_ line: String) -> String {
        guard line.first == "\"" else {
            return String(line.prefix { $0 != "," })
        }
        var field = ""
        var index = line.index(after: line.startIndex)
        while index < line.endIndex {
            let c = line[index]
            if c == "\"" {
                let next = line.index(after: index)
                if next < line.endIndex, line[next] == "\"" {
                    field.append("\"")
                    index = line.index(after: next)
                    continue
                }
                return field
            }
            field.append(c)
            index = line.index(after: index)
        }
        return field
    }
}
