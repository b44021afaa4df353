// PNGMetadata: one walk over a PNG's chunk list, before libpng sees it. It refuses a chunk whose
// declared length runs past the end of the file (libpng would allocate that length first), and
// finds where the orientation is kept — eXIf (also after IDAT, as ImageMagick writes it),
// ImageMagick's "Raw profile type exif" text, or XMP in iTXt — without decoding any of it.
import CPNG

struct PNGMetadata {
    /// Text chunks are inflated at most this far: a compression bomb costs no more.
    static let inflateLimit = 256 << 10

    private struct TextChunk {
        /// The chunk's data (keyword included).
        var range: Range<Int>
        var type: String
    }

    private var exif: Range<Int>?
    private var rawProfile: TextChunk?
    private var xmp: TextChunk?

    /// Walks the chunks from the signature to IEND (or the end of the data).
    init(_ data: UnsafeRawBufferPointer) throws(ImagingError) {
        var offset = 8
        while offset + 8 <= data.count {
            let length = Int(data[offset]) << 24 | Int(data[offset + 1]) << 16 | Int(data[offset + 2]) << 8 | Int(data[offset + 3])
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            let left = data.count - body
            guard length <= left else {
                throw ImagingError(.corrupt, "PNG chunk \(Self.printable(type)) claims \(length) bytes but only \(left) are left (damaged or truncated file)")
            }
            let range = body..<body + length
            switch type {
            case "IEND": return
            case "eXIf": if exif == nil { exif = range }
            case "tEXt", "zTXt", "iTXt":
                let keyword = Self.keyword(data, range)
                if rawProfile == nil, keyword == "Raw profile type exif" || keyword == "Raw profile type APP1" {
                    rawProfile = TextChunk(range: range, type: type)
                } else if xmp == nil, type == "iTXt", keyword == "XML:com.adobe.xmp" {
                    xmp = TextChunk(range: range, type: type)
                }
            default: break
            }
            offset = body + length + 4
        }
    }

    /// The orientation, in the precedence Pillow and libvips use: EXIF (the eXIf chunk, then the
    /// raw profile) over XMP. Only the chunk that answers is inflated, and only so far.
    func orientation(in data: UnsafeRawBufferPointer) -> ImageOrientation {
        if let exif, let found = ImageOrientation.exifTag(in: UnsafeRawBufferPointer(rebasing: data[exif])) {
            return found
        }
        if let rawProfile {
            let text = Self.text(of: rawProfile, in: data)
            let bytes = text.withUnsafeBytes { ImageOrientation.rawProfileBytes($0, limit: 64 << 10) }
            if let found = bytes.withUnsafeBytes({ ImageOrientation.exifTag(in: $0) }) { return found }
        }
        if let xmp, let found = Self.text(of: xmp, in: data).withUnsafeBytes({ ImageOrientation.xmpTag(in: $0) }) {
            return found
        }
        return .upright
    }

    private static func keyword(_ data: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        let end = data[range.prefix(80)].firstIndex(of: 0) ?? range.lowerBound
        return String(decoding: data[range.lowerBound..<end], as: UTF8.self)
    }

    /// The text of a tEXt, zTXt or iTXt chunk, inflated (to at most `inflateLimit`) when compressed.
    private static func text(of chunk: TextChunk, in data: UnsafeRawBufferPointer) -> [UInt8] {
        let range = chunk.range
        guard let nul = data[range].firstIndex(of: 0) else { return [] }
        var start = nul + 1
        var compressed = chunk.type == "zTXt"
        if chunk.type == "zTXt" {
            start += 1  // the compression method
        } else if chunk.type == "iTXt" {
            guard start + 2 <= range.upperBound else { return [] }
            compressed = data[start] != 0
            start += 2
            for _ in 0..<2 {  // the language tag and the translated keyword, each ending in NUL
                guard let end = data[start..<range.upperBound].firstIndex(of: 0) else { return [] }
                start = end + 1
            }
        }
        guard start <= range.upperBound else { return [] }
        let body = UnsafeRawBufferPointer(rebasing: data[start..<range.upperBound])
        guard compressed else { return Array(body) }
        var text = [UInt8](repeating: 0, count: inflateLimit)
        let written = text.withUnsafeMutableBytes { target in
            cpng_inflate_prefix(body.baseAddress?.assumingMemoryBound(to: UInt8.self), body.count,
                                target.baseAddress?.assumingMemoryBound(to: UInt8.self), target.count)
        }
        return written > 0 ? Array(text.prefix(written)) : []
    }

    private static func printable(_ type: String) -> String {
        type.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII } ? type : "(unnamed)"
    }
}
