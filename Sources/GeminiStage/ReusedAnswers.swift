// ReusedAnswers: answers already paid for, read back from the reference tool's CSVs (its
// descriptions CSV `image_name,description` or a categorized CSV with `categories` too), joined
// to the records by image name (the listed file name, else the same name without extension), so
// gemini-describe and categorize send nothing for the images they cover.
import Records
import ToolSupport

public struct ReusedAnswers: Sendable {
    public struct Answer: Sendable {
        /// The model's JSON answer as the reference stored it (or plain text).
        public var description: String
        /// The categories, when the file has a `categories` column and the row a result.
        public var categories: [String]?
        public var file: String
    }

    private var byName: [String: Answer] = [:]
    private var byStem: [String: Answer] = [:]
    public private(set) var count = 0

    public init() {}

    /// Reads every file; a later file's row wins over an earlier one's for the same image.
    public static func load(paths: [String]) throws -> ReusedAnswers {
        var answers = ReusedAnswers()
        for path in paths { try answers.read(path) }
        return answers
    }

    private mutating func read(_ path: String) throws {
        let reader: CSVRowReader
        do {
            reader = CSVRowReader(try LineReader(path: path))
        } catch {
            throw ToolError("cannot read \(path): \(error)")
        }
        do {
            guard let header = try reader.next() else { return }
            let columns = header.fields.map { $0.lowercased().split(separator: " ").joined() }
            guard let nameColumn = columns.firstIndex(of: "image_name"), let descriptionColumn = columns.firstIndex(of: "description") else {
                throw ToolError("\(path):\(header.line): expected the header image_name,description (the reference's descriptions CSV) or image_name,description,categories")
            }
            let categoriesColumn = columns.firstIndex(of: "categories")
            while let row = try reader.next() {
                let fields = row.fields
                guard nameColumn < fields.count, descriptionColumn < fields.count else {
                    throw ToolError("\(path):\(row.line): \(fields.count) fields, the header has \(columns.count)")
                }
                let name = fields[nameColumn], description = fields[descriptionColumn]
                guard !name.isEmpty, !description.isEmpty else { continue }
                var categories: [String]?
                if let categoriesColumn, categoriesColumn < fields.count {
                    let text = fields[categoriesColumn]
                    // `error`: the reference gave up on it; its description is still good.
                    if text != "error", !text.isEmpty {
                        categories = text.split(separator: ",").map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
                    }
                }
                let answer = Answer(description: description, categories: categories, file: path)
                if byName.updateValue(answer, forKey: name) == nil { count += 1 }
                byStem[Self.stem(name)] = answer
            }
        } catch let error as ToolError {
            throw error
        } catch {
            throw ToolError("\(path): \(error)")
        }
    }

    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    public var isEmpty: Bool { count == 0 }

    /// The answer for the record's image, if a file has one.
    public func answer(for record: Record) -> Answer? {
        let name = ReferenceCSV.imageName(of: record)
        return byName[name] ?? byStem[Self.stem(name)]
    }

    /// The record with the reused description added as gemini-describe adds an answer's
    /// (`description`, `summary`), and `reused_from` naming the file.
    public static func describe(_ record: Record, with answer: Answer) -> Record {
        var out = record
        if let value = try? JSONParser.parse(answer.description), value.objectValue != nil {
            out["description"] = value
            if let summary = value["summary"]?.stringValue { out["summary"] = .string(summary) }
        } else {
            out["description"] = .string(answer.description)
        }
        out["reused_from"] = .string(answer.file)
        return out
    }
}
