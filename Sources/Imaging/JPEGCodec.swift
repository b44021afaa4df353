// JPEGCodec: libjpeg-turbo behind a Swift API. All libjpeg calls go through CJPEG's wrappers,
// which keep setjmp/longjmp inside C and return error codes.
import CJPEG

public enum JPEGCodec {
    /// Header facts read without decoding pixels.
    public struct Header: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// Components in the file: 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK.
        public var components: Int
        /// The EXIF orientation (1 when there is none).
        public var orientation: Int = 1
    }

    /// How colour is sampled in an encoded JPEG.
    public enum ChromaSubsampling: String, Sendable, CaseIterable {
        /// Colour at full resolution: larger files, better colour edges.
        case full = "444"
        /// Colour at half resolution both ways (libjpeg's and Pillow's default).
        case half = "420"
    }

    /// Reads the header only (cheap; used to refuse huge images before decoding).
    public static func readHeader(_ data: [UInt8]) throws(ImagingError) -> Header {
        try data.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
            let header = try JPEGDecoder(bytes).header
            return Header(width: header.width, height: header.height, components: header.components,
                          orientation: header.orientation.value)
        }
    }

    /// Decodes to RGB (gray, colour and CMYK files alike) at full size, as stored (no orientation).
    public static func decodeRGB(_ data: [UInt8]) throws(ImagingError) -> PixelBuffer {
        try data.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
            let decoder = try JPEGDecoder(bytes)
            var pixels: [UInt8] = []
            var size = (0, 0)
            try decoder.decode(scale: 8, start: { width, height in
                size = (width, height)
                pixels.reserveCapacity(width * height * 3)
            }, row: { row in
                pixels.append(contentsOf: UnsafeBufferPointer(start: row, count: size.0 * 3))
            })
            return PixelBuffer(width: size.0, height: size.1, channels: 3, pixels: pixels)
        }
    }

    /// Encodes 4-channel ink samples (inverted, as Adobe writes them) as a CMYK or YCCK JPEG.
    /// Print workflows make such files; the library only reads them, so this is for tests.
    static func encodeCMYK(_ image: PixelBuffer, quality: Int = 95, ycck: Bool) throws(ImagingError) -> [UInt8] {
        guard image.channels == 4 else { throw ImagingError(.unsupportedFormat, "CMYK needs 4 channels") }
        guard let encoder = cjpeg_encoder_create() else { throw ImagingError(.io, "out of memory") }
        defer { cjpeg_encoder_destroy(encoder) }
        guard cjpeg_encode_start_cmyk(encoder, UInt32(image.width), UInt32(image.height), Int32(quality), ycck ? 1 : 0) == 0 else {
            throw ImagingError(.io, "JPEG encode failed: \(message(of: encoder))")
        }
        return try finishEncode(encoder, image)
    }

    /// Encodes RGB or gray pixels as a JPEG.
    public static func encode(_ image: PixelBuffer, quality: Int = 90, progressive: Bool = false,
                              chroma: ChromaSubsampling = .half) throws(ImagingError) -> [UInt8] {
        guard image.channels == 1 || image.channels == 3 else {
            throw ImagingError(.unsupportedFormat, "JPEG needs 1 or 3 channels, not \(image.channels)")
        }
        guard let encoder = cjpeg_encoder_create() else { throw ImagingError(.io, "out of memory") }
        defer { cjpeg_encoder_destroy(encoder) }
        guard cjpeg_encode_start_sampled(encoder, UInt32(image.width), UInt32(image.height), Int32(image.channels),
                                         Int32(quality), progressive ? 1 : 0, chroma == .full ? 1 : 0) == 0 else {
            throw ImagingError(.io, "JPEG encode failed: \(message(of: encoder))")
        }
        return try finishEncode(encoder, image)
    }

    /// Writes every row of `image` and finishes the encode; returns the JPEG.
    private static func finishEncode(_ encoder: UnsafeMutablePointer<cjpeg_encoder>, _ image: PixelBuffer) throws(ImagingError) -> [UInt8] {
        let ok = image.pixels.withUnsafeBufferPointer { buffer -> Bool in
            for row in 0..<image.height {
                var pointer: UnsafeMutablePointer<UInt8>? = UnsafeMutablePointer(mutating: buffer.baseAddress! + row * image.rowBytes)
                if cjpeg_write_scanlines(encoder, &pointer, 1) != 1 { return false }
            }
            return true
        }
        guard ok, cjpeg_encode_finish(encoder) == 0 else {
            throw ImagingError(.io, "JPEG encode failed: \(message(of: encoder))")
        }
        return Array(UnsafeBufferPointer(start: encoder.pointee.buffer, count: Int(encoder.pointee.size)))
    }

    private static func message(of encoder: UnsafeMutablePointer<cjpeg_encoder>) -> String {
        withUnsafeBytes(of: encoder.pointee.err.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
