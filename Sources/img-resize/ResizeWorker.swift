// ResizeWorker: one record through img-resize — read the file at `path`, shrink it, write
// `<out-dir>/<id>.<ext>` atomically, and add `image` (or an error) to the record.
import Imaging
import Records

struct ResizeWorker: Sendable {
    static let stage = "img-resize"
    let options: ResizeOptions
    let outputDirectory: String

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
            let name = ImageFile.safeName(for: record.id ?? ImageFile.stem(of: path))
            let output = outputDirectory + "/" + name + "." + options.format.fileExtension
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
