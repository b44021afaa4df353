// ResizeWorker: one record through img-resize — read the file at `path`, shrink it, write
// `<out-dir>/<id>.<ext>` atomically (one file per id, ids being unique per run), and add `image` (or an error) to the record.
import Imaging
import Records

struct ResizeWorker: Sendable {
    static let stage = "img-resize"
    let options: ResizeOptions
    let outputDirectory: String

    /// The output file's name (without extension) for an id: the id itself when it is a safe
    /// file name, else the safe form plus a hash of the id, so two ids never share a file
    /// (`a/b` and `a_b` both have the safe form `a_b`).
    static func fileName(for id: String) -> String {
        let safe = ImageFile.safeName(for: id)
        guard safe != id else { return safe }
        return safe + "~" + StableHash(id).shortHex
    }

    func process(_ input: Record) -> Record {
        var record = input
        guard let path = record["path"]?.stringValue, !path.isEmpty else {
            record.setError(RecordError(stage: Self.stage, code: "bad_input",
                                        message: "record has no \"path\" string", retryable: false))
            return record
        }
        do throws(ImagingError) {
            let data = try ImageFile.read(path, maximumBytes: options.maximumMemory)
            let resized = try ImageResizer.resize(data, options: options)
            let output = outputDirectory + "/" + Self.fileName(for: record.id ?? path) + "." + options.format.fileExtension
            try ImageFile.writeAtomically(resized.encoded, to: output)
            record["image"] = .object([
                "path": .string(output),
                "width": .int(resized.width),
                "height": .int(resized.height),
                "bytes": .int(resized.encoded.count),
                "source_width": .int(resized.sourceWidth),
                "source_height": .int(resized.sourceHeight),
                "source_format": .string(resized.sourceFormat.rawValue),
            ])
        } catch {
            record.setError(RecordError(stage: Self.stage, code: error.code.rawValue,
                                        message: "\(path): \(error.message)", retryable: error.code == .io))
        }
        return record
    }
}
