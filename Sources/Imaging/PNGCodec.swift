// PNGCodec: libpng's simplified API behind a Swift API. It reads every PNG variant (palette,
// gray, 16-bit, tRNS, alpha, interlaced) into 8-bit RGB, compositing alpha on a background.
import CPNG

public enum PNGCodec {
    /// Decodes to 8-bit RGB; transparent pixels are composited on `background` (default white).
    public static func decodeRGB(_ data: [UInt8], background: (UInt8, UInt8, UInt8) = (255, 255, 255),
                                 maximumPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw ImagingError(.corrupt, "not a readable PNG: \(message(of: image))") }
        defer { png_image_free(&image) }
        let width = Int(image.width)
        let height = Int(image.height)
        guard width * height <= maximumPixels else {
            throw ImagingError(.tooLarge, "PNG is \(width)×\(height), more than \(maximumPixels) pixels")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        var color = png_color(red: background.0, green: background.1, blue: background.2)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, &color, buffer.baseAddress, Int32(width * 3), nil)
        }
        guard finished != 0 else { throw ImagingError(.corrupt, "PNG decode failed: \(message(of: image))") }
        return PixelBuffer(width: width, height: height, channels: 3, pixels: pixels)
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
