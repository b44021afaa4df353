// ImagePayload: the bytes of an image to send. A JPEG or PNG within the size limit is sent as
// it is; anything larger is shrunk in memory with the Imaging library first, so the tool also
// works on raw downloads.
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
        let data = try readFile(path)
        return try probe(data).size
    }

    /// Loads `path`, shrinking it so the long side is at most `maximumSize`.
    public static func load(path: String, maximumSize: Int) throws(ImagingError) -> ImagePayload {
        let data = try readFile(path)
        let (mime, size) = try probe(data)
        if max(size.width, size.height) <= maximumSize {
            return ImagePayload(bytes: data, mimeType: mime, width: size.width, height: size.height)
        }
        let pixels = mime == "image/png" ? try PNGCodec.decodeRGB(data) : try JPEGCodec.decodeRGB(data)
        let small = shrink(pixels, maximumSize: maximumSize)
        return ImagePayload(bytes: try JPEGCodec.encode(small, quality: 90), mimeType: "image/jpeg",
                            width: small.width, height: small.height)
    }

    /// The MIME type and size from the header (JPEG and PNG).
    static func probe(_ data: [UInt8]) throws(ImagingError) -> (mime: String, size: (width: Int, height: Int)) {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            let header = try JPEGCodec.readHeader(data)
            return ("image/jpeg", (header.width, header.height))
        }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]), data.count >= 24 {
            func be32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            return ("image/png", (be32(16), be32(20)))
        }
        throw ImagingError(.unsupportedFormat, "not a JPEG or PNG image")
    }

    /// Area-average downscale to fit `maximumSize` (the send path's fallback for images that
    /// did not pass through img-resize).
    static func shrink(_ image: PixelBuffer, maximumSize: Int) -> PixelBuffer {
        let scale = Double(maximumSize) / Double(max(image.width, image.height))
        let width = max(1, Int((Double(image.width) * scale).rounded()))
        let height = max(1, Int((Double(image.height) * scale).rounded()))
        var out = PixelBuffer(width: width, height: height, channels: image.channels)
        for y in 0..<height {
            let y0 = y * image.height / height, y1 = max(y0 + 1, (y + 1) * image.height / height)
            for x in 0..<width {
                let x0 = x * image.width / width, x1 = max(x0 + 1, (x + 1) * image.width / width)
                for c in 0..<image.channels {
                    var sum = 0
                    for sy in y0..<y1 {
                        for sx in x0..<x1 { sum += Int(image.pixels[(sy * image.width + sx) * image.channels + c]) }
                    }
                    out.pixels[(y * width + x) * image.channels + c] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        return out
    }

    static func readFile(_ path: String) throws(ImagingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImagingError(.io, "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ImagingError(.io, "\(path): read failed")
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}
