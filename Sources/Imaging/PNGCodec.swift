// PNGCodec: libpng behind a Swift API. PNGDecoder reads every variant (palette, gray, 16-bit,
// tRNS, alpha, interlaced) row by row into 8-bit RGB, compositing alpha on a background; encoding
// uses libpng's simplified API.
import CPNG

public enum PNGCodec {
    /// Decodes to 8-bit RGB; transparent pixels are composited on `background` (default white).
    public static func decodeRGB(_ data: [UInt8], background: (UInt8, UInt8, UInt8) = (255, 255, 255),
                                 maximumPixels: Int = 100_000_000) throws(ImagingError) -> PixelBuffer {
        let color = RGBColor(red: background.0, green: background.1, blue: background.2)
        return try data.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
            let decoder = try PNGDecoder(bytes)
            let header = decoder.header
            let (count, overflow) = header.width.multipliedReportingOverflow(by: header.height)
            guard !overflow, count <= min(maximumPixels, ResizeOptions.pixelCeiling) else {
                throw ImagingError(.tooLarge, "PNG is \(header.width)×\(header.height), more than \(maximumPixels) pixels")
            }
            var pixels: [UInt8] = []
            pixels.reserveCapacity(count * 3)
            try decoder.decode(background: color) { row in
                pixels.append(contentsOf: UnsafeBufferPointer(start: row, count: header.width * 3))
            }
            return PixelBuffer(width: header.width, height: header.height, channels: 3, pixels: pixels)
        }
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

/// One PNG decode, row by row; owns the libpng handle. The bytes must stay valid while it lives.
final class PNGDecoder {
    struct Header {
        var width: Int
        var height: Int
        var hasAlpha: Bool
        /// Adam7: the whole image must be held to put the passes together.
        var interlaced: Bool
        var orientation: ImageOrientation
    }

    private let handle: UnsafeMutablePointer<cpng_decoder>
    let header: Header

    /// Reads the header only (and, from the raw bytes, where the orientation is kept). The
    /// handle is destroyed here on every failure, before any stored property is set, so
    /// `deinit` (which runs only for a fully initialised object) never frees it a second time.
    init(_ data: UnsafeRawBufferPointer) throws(ImagingError) {
        let metadata = try PNGMetadata(data)
        guard let handle = cpng_decoder_create(data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count) else {
            throw ImagingError(.io, "out of memory")
        }
        guard cpng_read_header(handle) == 0 else {
            let reason = Self.message(of: handle)
            cpng_decoder_destroy(handle)
            throw ImagingError(.corrupt, "not a readable PNG: \(reason)")
        }
        let info = handle.pointee
        guard info.width > 0, info.height > 0, info.channels == 3 || info.channels == 4 else {
            cpng_decoder_destroy(handle)
            throw ImagingError(.corrupt, "PNG header has no usable size or layout")
        }
        self.handle = handle
        header = Header(width: Int(info.width), height: Int(info.height), hasAlpha: info.channels == 4,
                        interlaced: info.passes > 1, orientation: metadata.orientation(in: data))
    }

    deinit { cpng_decoder_destroy(handle) }

    /// Decodes, calling `row` with each RGB row top to bottom (alpha composited on `background`).
    func decode(background: RGBColor, row: (UnsafePointer<UInt8>) -> Void) throws(ImagingError) {
        let channels = header.hasAlpha ? 4 : 3
        let width = header.width
        let rgb = UnsafeMutablePointer<UInt8>.allocate(capacity: width * 3)
        defer { rgb.deallocate() }
        func deliver(_ line: UnsafeMutablePointer<UInt8>) {
            if channels == 3 { return row(line) }
            ColorConversion.composite(line, count: width, background: background, into: rgb)
            row(rgb)
        }
        let rows = header.interlaced ? header.height : 1
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: rows * width * channels)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: rows * width * channels)
        let passes = Int(handle.pointee.passes)
        for pass in 0..<passes {
            for y in 0..<header.height {
                let line = buffer + (header.interlaced ? y * width * channels : 0)
                guard cpng_read_row(handle, line) == 0 else {
                    throw ImagingError(.corrupt, "PNG decode failed: \(Self.message(of: handle))")
                }
                if !header.interlaced { deliver(line) } else if pass == passes - 1 { deliver(line) }
            }
        }
    }

    private static func message(of handle: UnsafeMutablePointer<cpng_decoder>) -> String {
        withUnsafeBytes(of: handle.pointee.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
