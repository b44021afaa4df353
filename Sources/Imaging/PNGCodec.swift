// PNGCodec: libpng's simplified API behind a Swift API. It reads every PNG variant (palette,
// gray, 16-bit, tRNS, alpha, interlaced) into 8-bit RGB, compositing alpha on a background.
import CPNG

public enum PNGCodec {
    /// Header facts read without decoding pixels.
    struct Header {
        var width: Int
        var height: Int
        var hasAlpha: Bool
    }

    /// Decodes to 8-bit RGB; transparent pixels are composited on `background` (default white).
    public static func decodeRGB(_ data: [UInt8], background: (UInt8, UInt8, UInt8) = (255, 255, 255),
                                 maximumPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        let color = RGBColor(red: background.0, green: background.1, blue: background.2)
        var result: PixelBuffer?
        try data.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
            try decode(bytes, background: color, maximumPixels: maximumPixels) { image, _ in result = image }
        }
        return result!
    }

    /// Reads the header, refuses more than `maximumPixels`, then decodes the whole image (libpng's
    /// simplified API has no row interface) and passes it to `body` as RGB with the header.
    static func decode(_ data: UnsafeRawBufferPointer, background: RGBColor, maximumPixels: Int,
                       _ body: (PixelBuffer, Header) throws(ImagingError) -> Void) throws(ImagingError) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = png_image_begin_read_from_memory(&image, data.baseAddress, data.count)
        guard began != 0 else { throw ImagingError(.corrupt, "not a readable PNG: \(message(of: image))") }
        defer { png_image_free(&image) }
        let header = Header(width: Int(image.width), height: Int(image.height),
                            hasAlpha: image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0)
        guard header.width > 0, header.height > 0 else { throw ImagingError(.corrupt, "PNG header has no size") }
        let (pixelCount, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixelCount <= min(maximumPixels, ResizeOptions.pixelCeiling) else {
            throw ImagingError(.tooLarge, "PNG is \(header.width)×\(header.height), more than \(maximumPixels) pixels")
        }
        // 16-bit files without gAMA/sRGB are sRGB-encoded in practice (as Pillow reads them), not linear.
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let channels = header.hasAlpha ? 4 : 3
        image.format = UInt32(header.hasAlpha ? PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA : PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * channels)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(header.width * channels), nil)
        }
        guard finished != 0 else { throw ImagingError(.corrupt, "PNG decode failed: \(message(of: image))") }
        if header.hasAlpha {
            pixels = ColorConversion.composite(pixels, background: background)
        }
        try body(PixelBuffer(width: header.width, height: header.height, channels: 3, pixels: pixels), header)
    }

    /// Encodes 8-bit gray, RGB or RGBA pixels as PNG.
    public static func encode(_ pixels: PixelBuffer) throws(ImagingError) -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(pixels.width)
        image.height = UInt32(pixels.height)
        switch pixels.channels {
        case 1: image.format = UInt32(PNG_FORMAT_GRAY)
        case 3: image.format = UInt32(PNG_FORMAT_RGB)
        case 4: image.format = UInt32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA)
        default: throw ImagingError(.unsupportedFormat, "PNG needs 1, 3 or 4 channels")
        }
        var size: png_alloc_size_t = 0
        let measured = pixels.pixels.withUnsafeBytes {
            png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, Int32(pixels.rowBytes), nil)
        }
        guard measured != 0 else { throw ImagingError(.io, "PNG encode failed: \(message(of: image))") }
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { out in
            pixels.pixels.withUnsafeBytes {
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, Int32(pixels.rowBytes), nil)
            }
        }
        guard written != 0 else { throw ImagingError(.io, "PNG encode failed: \(message(of: image))") }
        return Array(output.prefix(Int(size)))
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
