// EmbeddingOutput: where embed puts vectors — inline in the record as a JSON array (a pipe
// stays self-contained), or as rows of a --vectors file (float32 .npy with an id index, the
// rows written before the records that point at them) — and the fields each record gets.
import Analysis
import Records

public final class EmbeddingOutput {
    /// The vectors file as the user named it (written into the records); nil: inline.
    public let vectorsPath: String?
    private let file: VectorFile?
    /// `embedding_model` of every record.
    public let modelName: String

    /// Opens (or creates) the vectors file for vectors of `dimensions` values.
    public init(vectorsPath: String?, dimensions: Int, modelName: String) throws {
        self.vectorsPath = vectorsPath
        self.modelName = modelName
        file = try vectorsPath.map { try VectorFile(appendingTo: $0, dimensions: dimensions) }
    }

    /// The records with `embedding_text`, `embedding` and `embedding_model` added (and
    /// `emulated: true` when the project's emulator made the vectors); with a vectors file,
    /// their rows are appended first (in one locked step), so no record points at a missing row.
    public func embedded(_ items: [(record: Record, text: String, vector: [Float])], emulated: Bool = false) throws -> [Record] {
        var rows: [Int]?
        if let file {
            rows = try file.append(items.map { (id: $0.record.id ?? "", vector: $0.vector) })
        }
        return items.enumerated().map { index, item in
            var out = item.record
            out[EmbeddingField.textName] = .string(item.text)
            if let rows, let vectorsPath {
                out[EmbeddingField.name] = EmbeddingField.reference(file: vectorsPath, row: rows[index], dimensions: item.vector.count)
            } else {
                out[EmbeddingField.name] = EmbeddingField.inline(item.vector)
            }
            out[EmbeddingField.modelName] = .string(modelName)
            if emulated { out["emulated"] = .bool(true) }
            return out
        }
    }
}
