// EmbeddingField: the `embedding` field embed writes and cluster reads — inline floats
// (`[0.12, -0.5, …]`, a pipe stays self-contained) or a row of a vectors file
// (`{"file": "vectors.npy", "row": 12, "dimensions": 768}`), checked against the row's id.
import Records
import Synchronization

public enum EmbeddingField {
    public static let name = "embedding"
    public static let textName = "embedding_text"
    public static let modelName = "embedding_model"

    /// The field value for an inline vector. Floats print in their shortest form.
    public static func inline(_ vector: [Float]) -> JSONValue {
        .array(vector.map { $0.isFinite ? .number("\($0)") : .null })
    }

    /// The field value for a row of a vectors file.
    public static func reference(file: String, row: Int, dimensions: Int) -> JSONValue {
        .object(["file": .string(file), "row": .int(row), "dimensions": .int(dimensions)])
    }

    /// The vector of `record`; a row of a file must belong to the record's id when the file
    /// names its rows' ids.
    public static func vector(in record: JSONObject, files: VectorFiles) throws(AnalysisError) -> [Float] {
        guard let value = record[name] else { throw AnalysisError("no \(name) field") }
        if let items = value.arrayValue {
            var vector: [Float] = []
            vector.reserveCapacity(items.count)
            for item in items {
                guard let number = item.doubleValue else { throw AnalysisError("\(name) holds a value that is not a number") }
                vector.append(Float(number))
            }
            guard !vector.isEmpty else { throw AnalysisError("\(name) is empty") }
            return vector
        }
        guard let object = value.objectValue, let file = object["file"]?.stringValue, let row = object["row"]?.intValue else {
            throw AnalysisError("\(name) is neither a list of numbers nor {\"file\", \"row\"}")
        }
        let reader = try files.reader(file)
        if let dimensions = object["dimensions"]?.intValue, dimensions != reader.dimensions {
            throw AnalysisError("\(file): rows have \(reader.dimensions) dimensions, the record says \(dimensions)")
        }
        let vector = try reader.row(row)
        if let id = record["id"]?.stringValue, let owner = try reader.id(ofRow: row), owner != id {
            throw AnalysisError("\(file): row \(row) belongs to \(owner), not \(id) (was the vectors file replaced?)")
        }
        return vector
    }
}

/// Open vectors files by path, each opened once.
public final class VectorFiles: Sendable {
    private let readers = Mutex<[String: VectorFileReader]>([:])

    public init() {}

    public func reader(_ path: String) throws(AnalysisError) -> VectorFileReader {
        try readers.withLock { readers throws(AnalysisError) -> VectorFileReader in
            if let reader = readers[path] { return reader }
            let reader = try VectorFileReader(path: path)
            readers[path] = reader
            return reader
        }
    }
}
