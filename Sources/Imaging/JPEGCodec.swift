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
    }

    /// Reads the header only (cheap; used to refuse huge images before decoding).
    public static func readHeader(_ data: [UInt8]) throws(ImagingError) -> Header {
        guard let decoder = cjpeg_decoder_create() else { throw ImagingError(.io, "out of memory") }
        defer { cjpeg_decoder_destroy(decoder) }
        let status = data.withUnsafeBufferPointer { cjpeg_read_header(decoder, $0.baseAddress, UInt($0.count), 0) }
        guard status == 0 else { throw ImagingError(.corrupt, "not a readable JPEG: \(message(of: decoder))") }
        let info = decoder.pointee.cinfo
        return Header(width: Int(info.image_width), height: Int(info.image_height), components: Int(info.num_components))
    }

    /// Decodes to RGB (gray and colour files alike) at full size.
    public static func decodeRGB(_ data: [UInt8]) throws(ImagingError) -> PixelBuffer {
        guard let decoder = cjpeg_decoder_create() else { throw ImagingError(.io, "out of memory") }
        defer { cjpeg_decoder_destroy(decoder) }
        let result: Result<PixelBuffer, ImagingError> = data.withUnsafeBufferPointer { input in
            guard cjpeg_read_header(decoder, input.baseAddress, UInt(input.count), 0) == 0 else {
                return .failure(ImagingError(.corrupt, "not a readable JPEG: \(message(of: decoder))"))
            }
            let space = decoder.pointee.cinfo.jpeg_color_space
            guard space != JCS_CMYK, space != JCS_YCCK else {
                return .failure(ImagingError(.unsupportedFormat, "CMYK JPEG needs the full decoder"))
            }
            guard cjpeg_start(decoder, 8, JCS_RGB, 0) == 0 else {
                return .failure(ImagingError(.corrupt, "JPEG decode failed: \(message(of: decoder))"))
            }
            let width = Int(decoder.pointee.cinfo.output_width)
            let height = Int(decoder.pointee.cinfo.output_height)
            var image = PixelBuffer(width: width, height: height, channels: 3)
            let ok = image.pixels.withUnsafeMutableBufferPointer { pixels -> Bool in
                var row = 0
                while row < height {
                    var pointer: UnsafeMutablePointer<UInt8>? = pixels.baseAddress! + row * width * 3
                    let read = cjpeg_read_scanlines(decoder, &pointer, 1)
                    if read <= 0 { return false }
                    row += Int(read)
                }
                return true
            }
            guard ok, cjpeg_finish(decoder) == 0 else {
                return .failure(ImagingError(.corrupt, "JPEG decode failed: \(message(of: decoder))"))
            }
            return .success(image)
        }
        return try result.get()
    }

    /// Encodes RGB or gray pixels as a JPEG.
    public static func encode(_ image: PixelBuffer, quality: Int = 90, progressive: Bool = false) throws(ImagingError) -> [UInt8] {
        guard image.channels == 1 || image.channels == 3 else {
            throw ImagingError(.unsupportedFormat, "JPEG needs 1 or 3 channels, not \(image.channels)")
        }
        guard let encoder = cjpeg_encoder_create() else { throw ImagingError(.io, "out of memory") }
        defer { cjpeg_encoder_destroy(encoder) }
        guard cjpeg_encode_start(encoder, UInt32(image.width), UInt32(image.height), Int32(image.channels),
                                 Int32(quality), progressive ? 1 : 0) == 0 else {
            throw ImagingError(.io, "JPEG encode failed: \(message(of: encoder))")
        }
        var pixels = image.pixels
        let ok = pixels.withUnsafeMutableBufferPointer { buffer -> Bool in
            for row in 0..<image.height {
                var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress! + row * image.rowBytes
                if cjpeg_write_scanlines(encoder, &pointer, 1) != 1 { return false }
            }
            return true
        }
        guard ok, cjpeg_encode_finish(encoder) == 0 else {
            throw ImagingError(.io, "JPEG encode failed: \(message(of: encoder))")
        }
        return Array(UnsafeBufferPointer(start: encoder.pointee.buffer, count: Int(encoder.pointee.size)))
    }

    private static func message(of decoder: UnsafeMutablePointer<cjpeg_decoder>) -> String {
        withUnsafeBytes(of: decoder.pointee.err.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func message(of encoder: UnsafeMutablePointer<cjpeg_encoder>) -> String {
        withUnsafeBytes(of: encoder.pointee.err.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
