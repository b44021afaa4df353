// DatasetCollector: reads categorized records (NDJSON, or the reference tool's CSV) into one
// tally per dataset. Error records and unusable lines are counted as failed, never dropped.
import Records
import Posix

/// A line that could not be used, with where it is.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var reason: String
    public var description: String { "\(source):\(line): \(reason)" }
}

/// Why an input cannot be read at all (a run-level failure, not a per-line problem).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Collects datasets from files or stdin, in the order they first appear: one tally per
/// dataset for each compared field.
public final class DatasetCollector {
    /// The fields counted (`--field`), in order.
    public let fields: [ComparedField]
    /// One list of tallies per field (in the order of `fields`), each in dataset order.
    public private(set) var talliesByField: [[DatasetTally]]
    /// The tallies of the first field.
    public var tallies: [DatasetTally] { talliesByField[0] }
    /// The ids each dataset has counted (a 16-byte hash each, in a flat set): a second image
    /// with one id is the same image twice, counted as failed, never twice in the percentages.
    private var countedIDs: [HashSet128] = []
    /// The first problems found (at most `problemLimit`) and how many there were in all.
    public private(set) var problems: [InputProblem] = []
    public private(set) var problemCount = 0
    public let problemLimit = 20
    /// Keep every image's id, path and categories (for the HTML report).
    public let keepImages: Bool

    public init(keepImages: Bool, fields: [ComparedField] = [.categories]) {
        self.keepImages = keepImages
        self.fields = fields.isEmpty ? [.categories] : fields
        talliesByField = Array(repeating: [], count: self.fields.count)
    }

    /// Reads `path` ("-" for stdin) into `dataset`; with `dataset` nil, each record names its
    /// dataset in a `dataset` field. A path ending in `.csv` is read as the reference CSV.
    public func read(path: String, dataset: String?) throws(InputError) {
        let lines: LineReader
        do {
            lines = try LineReader(path: path)
        } catch {
            throw InputError(description: "cannot read \(path): \(error)")
        }
        if path.lowercased().hasSuffix(".csv") {
            guard let dataset else { throw InputError(description: "\(path): a CSV file needs a dataset name (NAME=\(path))") }
            if let field = fields.first(where: { $0 != .categories }) {
                throw InputError(description: "\(path): the reference CSV holds categories only; --field \(field) needs NDJSON records")
            }
            try readReferenceCSV(CSVRowReader(lines), dataset: dataset)
        } else {
            try readNDJSON(RecordReader(lines, mode: .ndjson), dataset: dataset)
        }
    }

    /// Makes sure a dataset exists (so an empty file still shows as a dataset with 0 images).
    @discardableResult
    public func datasetIndex(_ name: String) -> Int {
        if let index = tallies.firstIndex(where: { $0.name == name }) { return index }
        for field in talliesByField.indices { talliesByField[field].append(DatasetTally(name: name)) }
        countedIDs.append(HashSet128())
        return tallies.count - 1
    }

    /// One more failed record of dataset `index`, in every field's tally (or in those `only` names).
    private func fail(_ index: Int, only: [Int]? = nil) {
        for field in only ?? Array(fields.indices) { talliesByField[field][index].failed += 1 }
    }

    private func readNDJSON(_ reader: RecordReader, dataset: String?) throws(InputError) {
        if let dataset { datasetIndex(dataset) }
        while true {
            let item: InputItem?
            do {
                item = try reader.next()
            } catch {
                throw InputError(description: "cannot read \(reader.name): \(error)")
            }
            guard let item else { return }
            switch item {
            case .record(let record, let line):
                add(record, line: line, source: reader.name, dataset: dataset)
            case .invalid(let line, let reason, _):
                guard let dataset else {
                    note(InputProblem(source: reader.name, line: line, reason: reason + " (no dataset known; not counted)"))
                    continue
                }
                fail(datasetIndex(dataset))
                note(InputProblem(source: reader.name, line: line, reason: reason + " (counted as failed)"))
            case .text:
                continue
            }
        }
    }

    private func add(_ record: Record, line: Int, source: String, dataset: String?) {
        guard let name = dataset ?? record["dataset"]?.stringValue else {
            note(InputProblem(source: source, line: line, reason: "record without a \"dataset\" field (not counted; or name files as NAME=FILE)"))
            return
        }
        let index = datasetIndex(name)
        if record.hasError {
            fail(index)
            return
        }
        let found = fields.map { $0.values(in: record) }
        // A record without categories fails, as it always did; without another field it is missing.
        let counted = fields.indices.filter { found[$0] != .missing || fields[$0] != .categories }
        if counted.count < fields.count {
            fail(index, only: fields.indices.filter { !counted.contains($0) })
            note(InputProblem(source: source, line: line, reason: "record without a \"categories\" array (counted as failed)"))
        }
        guard !counted.isEmpty else { return }
        let emulated = record["emulated"]?.boolValue == true
        let path = record.value(at: ["image", "path"])?.stringValue ?? record["path"]?.stringValue
        let id = record.id ?? record["name"]?.stringValue ?? path ?? "\(source):\(line)"
        guard countedIDs[index].insert(StableHash(id)) else {
            for field in counted where emulated && found[field] != .missing { talliesByField[field][index].emulated += 1 }
            fail(index, only: counted)
            note(duplicate: id, dataset: index, source: source, line: line)
            return
        }
        for field in counted {
            guard case .values(let values) = found[field] else {
                talliesByField[field][index].missing += 1
                continue
            }
            if emulated { talliesByField[field][index].emulated += 1 }
            talliesByField[field][index].add(ImageEntry(id: id, path: path, categories: values), keep: keepImages,
                                             countOccurrences: fields[field].liftRule.unit == .occurrences)
        }
    }

    /// Counts an image of the reference CSV unless its dataset already counted one with the same id.
    private func addOnce(_ entry: ImageEntry, to index: Int, source: String, line: Int) {
        guard countedIDs[index].insert(StableHash(entry.id)) else {
            fail(index)
            note(duplicate: entry.id, dataset: index, source: source, line: line)
            return
        }
        for field in fields.indices { talliesByField[field][index].add(entry, keep: keepImages) }
    }

    private func note(duplicate id: String, dataset index: Int, source: String, line: Int) {
        note(InputProblem(source: source, line: line, reason: "id \"\(id)\" was counted already in \(tallies[index].name) (duplicate_id; counted as failed)"))
    }

    private func readReferenceCSV(_ reader: CSVRowReader, dataset: String) throws(InputError) {
        let index = datasetIndex(dataset)
        let source = reader.lines.name
        do {
            guard let header = try reader.next() else { return }
            let columns = header.fields.map { $0.trimmingSpaces().lowercased() }
            guard let categoriesColumn = columns.firstIndex(of: "categories") else {
                throw InputError(description: "\(source):\(header.line): no \"categories\" column in the header (expected image_name,description,categories)")
            }
            let nameColumn = columns.firstIndex(of: "image_name") ?? columns.firstIndex(of: "name") ?? columns.firstIndex(of: "id")
            let pathColumn = columns.firstIndex(of: "path")
            while let row = try reader.next() {
                guard categoriesColumn < row.fields.count else {
                    fail(index)
                    note(InputProblem(source: source, line: row.line, reason: "\(row.fields.count) fields, no categories (counted as failed)"))
                    continue
                }
                let name = nameColumn.flatMap { $0 < row.fields.count ? row.fields[$0] : nil } ?? "\(source):\(row.line)"
                let path = pathColumn.flatMap { $0 < row.fields.count ? row.fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
                let entry = ImageEntry(id: name, path: path, categories: Self.splitCategories(row.fields[categoriesColumn]))
                addOnce(entry, to: index, source: source, line: row.line)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(description: "\(source): \(error)")
        }
    }

    /// "a, b" → ["a", "b"]; also tolerates a list written as "['a', 'b']".
    static func splitCategories(_ text: String) -> [String] {
        var text = text.trimmingSpaces()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        return text.split(separator: ",").map { part in
            var item = String(part).trimmingSpaces()
            if item.count >= 2, let first = item.first, first == item.last, first == "'" || first == "\"" {
                item = String(item.dropFirst().dropLast())
            }
            return item
        }.filter { !$0.isEmpty }
    }

    private func note(_ problem: InputProblem) {
        problemCount += 1
        if problems.count < problemLimit { problems.append(problem) }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String { trimming(" \t") }
}

extension InputError: UserFacingError {
    public var message: String { description }
}
