// ImagePayload: the bytes of an image to send. A small upright JPEG is sent as it is; anything
// else is shrunk in memory with the Imaging library first, so the tool also works on raw
// downloads.
import Imaging
import Records

public struct ImagePayload {
    public var bytes: [UInt8]
    public var mimeType: String
    public var width: Int
    public var height: Int

    /// The image path of a record: `image.path` (img-resize), else `path` (s3fetch).
    public static func path(of record: Record) -> String? {
        record.value(at: ["image", "path"])?.stringValue ?? record["path"]?.stringValue
    }

    /// Width and height without decoding pixels: from the record's `image` when img-resize made
    /// it, else from the file header.
    public static func dimensions(of record: Record, path: String) throws(ImagingError) -> (width: Int, height: Int) {
        if record.value(at: ["image", "path"])?.stringValue == path,
           let w = record.value(at: ["image", "width"])?.intValue, let h = record.value(at: ["image", "height"])?.intValue {
            return (w, h)
        }
        return try probe(try ImageFile.read(path)).size
    }

    /// Loads `path` for sending: a JPEG already within `maximumSize` (and upright, RGB) goes as
    /// it is; anything else — larger, PNG, WebP, CMYK, EXIF-rotated — is shrunk and converted by
    /// the Imaging pipeline (the same as img-resize's) to a JPEG q90.
    public static func load(path: String, maximumSize: Int) throws(ImagingError) -> ImagePayload {
        var options = ResizeOptions()
        options.maximumSize = maximumSize
        options.keepSmall = true
        let resized = try ImageResizer.resize(try ImageFile.read(path), options: options)
        let mime = resized.copiedAsIs && resized.sourceFormat != .jpeg ? "image/\(resized.sourceFormat.rawValue)" : "image/jpeg"
        return ImagePayload(bytes: resized.encoded, mimeType: mime, width: resized.width, height: resized.height)
    }

    /// The size from the header without decoding pixels (JPEG and PNG; others are decoded).
    static func probe(_ data: [UInt8]) throws(ImagingError) -> (mime: String, size: (width: Int, height: Int)) {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            let header = try JPEGCodec.readHeader(data)
            return ("image/jpeg", (header.width, header.height))
        }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]), data.count >= 24 {
            func be32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            return ("image/png", (be32(16), be32(20)))
        }
        var options = ResizeOptions()
        options.maximumSize = Int.max / 4
        let decoded = try ImageResizer.resize(data, options: options)
        return ("image/jpeg", (decoded.sourceWidth, decoded.sourceHeight))
    }
}
