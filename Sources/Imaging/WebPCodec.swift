// WebPCodec: libwebp behind a Swift API (generated images are often WebP). Still images only;
// an animation is refused as unsupported. The EXIF chunk's orientation is read too.
import CWebP

enum WebPCodec {
    struct Header {
        var width: Int
        var height: Int
        var hasAlpha: Bool
        /// VP8L: libwebp keeps a 32-bit ARGB word for every pixel while decoding.
        var isLossless: Bool
        var orientation: ImageOrientation
    }

    /// Reads the header without decoding pixels.
    static func readHeader(_ data: UnsafeRawBufferPointer) throws(ImagingError) -> Header {
        var features = WebPBitstreamFeatures()
        let bytes = data.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let status = WebPGetFeatures(bytes, data.count, &features)
        guard status == VP8_STATUS_OK else { throw ImagingError(.corrupt, "not a readable WebP (\(describe(status)))") }
        guard features.has_animation == 0 else { throw ImagingError(.unsupportedFormat, "animated WebP is not supported") }
        guard features.width > 0, features.height > 0 else { throw ImagingError(.corrupt, "WebP header has no size") }
        return Header(width: Int(features.width), height: Int(features.height), hasAlpha: features.has_alpha != 0,
                      isLossless: features.format == 2, orientation: orientation(in: data))
    }

    /// Decodes the whole image to RGB, compositing alpha on `background`.
    static func decode(_ data: UnsafeRawBufferPointer, header: Header, background: RGBColor) throws(ImagingError) -> PixelBuffer {
        let channels = header.hasAlpha ? 4 : 3
        let stride = header.width * channels
        var pixels = [UInt8](repeating: 0, count: stride * header.height)
        let bytes = data.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let decoded = pixels.withUnsafeMutableBufferPointer { buffer in
            header.hasAlpha
                ? WebPDecodeRGBAInto(bytes, data.count, buffer.baseAddress, buffer.count, Int32(stride))
                : WebPDecodeRGBInto(bytes, data.count, buffer.baseAddress, buffer.count, Int32(stride))
        }
        guard decoded != nil else { throw ImagingError(.corrupt, "WebP decode failed (truncated or damaged data)") }
        if header.hasAlpha {
            pixels = ColorConversion.composite(pixels, background: background)
        }
        return PixelBuffer(width: header.width, height: header.height, channels: 3, pixels: pixels)
    }

    /// The orientation in the RIFF container's EXIF chunk, else in its XMP chunk (EXIF over XMP,
    /// as Pillow and libvips rank them).
    private static func orientation(in data: UnsafeRawBufferPointer) -> ImageOrientation {
        var xmp: ImageOrientation?
        var offset = 12
        while offset + 8 <= data.count {
            let size = Int(data[offset + 4]) | Int(data[offset + 5]) << 8 | Int(data[offset + 6]) << 16 | Int(data[offset + 7]) << 24
            let body = offset + 8
            guard size >= 0, body + size <= data.count else { break }
            let chunk = UnsafeRawBufferPointer(rebasing: data[body..<body + size])
            switch String(decoding: data[offset..<offset + 4], as: UTF8.self) {
            case "EXIF": if let found = ImageOrientation.exifTag(in: chunk) { return found }
            case "XMP ": if xmp == nil { xmp = ImageOrientation.xmpTag(in: chunk) }
            default: break
            }
            offset = body + size + (size & 1)
        }
        return xmp ?? .upright
    }

    private static func describe(_ status: VP8StatusCode) -> String {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated data"
        case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error"
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature"
        case VP8_STATUS_OUT_OF_MEMORY: return "out of memory"
        default: return "status \(status.rawValue)"
        }
    }
}
