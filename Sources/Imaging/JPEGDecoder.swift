// JPEGDecoder: a streaming libjpeg-turbo decode for the resizer. It reads the header (size,
// colour space, EXIF orientation, Adobe marker) without touching pixels, then decodes at a DCT
// scale of n/8 and hands RGB rows out one at a time, converting CMYK/YCCK and gray on the way.
import CJPEG

/// One JPEG decode; owns the libjpeg handle. The bytes must stay valid while it lives.
final class JPEGDecoder {
    struct Header {
        var width: Int
        var height: Int
        var components: Int
        var colorSpace: J_COLOR_SPACE
        var orientation: ImageOrientation
        /// Adobe APP14 seen: CMYK samples are stored inverted (as Photoshop writes them).
        var adobeInverted: Bool
        /// What libjpeg holds for a progressive or multi-scan file: every DCT coefficient of the
        /// image, whatever the output scale (0 for a single-scan baseline file).
        var coefficientBytes: Int
        var isCMYK: Bool { colorSpace == JCS_CMYK || colorSpace == JCS_YCCK }
    }

    private let handle: UnsafeMutablePointer<cjpeg_decoder>
    let header: Header

    /// Reads the header. `maximumMemory` caps libjpeg's own buffers (progressive files keep all
    /// coefficients); 0 means libjpeg's default. The handle is destroyed here on every failure,
    /// before any stored property is set, so `deinit` never frees it a second time.
    init(_ data: UnsafeRawBufferPointer, maximumMemory: Int = 0) throws(ImagingError) {
        guard let handle = cjpeg_decoder_create() else { throw ImagingError(.io, "out of memory") }
        let status = cjpeg_read_header(handle, data.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                       UInt(data.count), maximumMemory)
        guard status == 0 else {
            let reason = Self.message(of: handle)
            cjpeg_decoder_destroy(handle)
            throw ImagingError(.corrupt, "not a readable JPEG: \(reason)")
        }
        let info = handle.pointee.cinfo
        guard info.image_width > 0, info.image_height > 0 else {
            cjpeg_decoder_destroy(handle)
            throw ImagingError(.corrupt, "JPEG header has no size")
        }
        self.handle = handle
        header = Header(width: Int(info.image_width), height: Int(info.image_height),
                        components: Int(info.num_components), colorSpace: info.jpeg_color_space,
                        orientation: Self.orientation(of: handle), adobeInverted: info.saw_Adobe_marker != 0,
                        coefficientBytes: Int(cjpeg_coefficient_bytes(handle)))
    }

    /// EXIF's Orientation (APP1 `Exif`) over XMP's (APP1 `http://ns.adobe.com/xap/1.0/`), as
    /// Pillow and libvips rank them.
    private static func orientation(of handle: UnsafeMutablePointer<cjpeg_decoder>) -> ImageOrientation {
        if let exif = cjpeg_find_marker(handle, Int32(JPEG_APP0 + 1), "Exif\0\0", 6),
           let found = ImageOrientation.exifTag(in: UnsafeRawBufferPointer(start: exif.pointee.data, count: Int(exif.pointee.data_length))) {
            return found
        }
        let namespace = "http://ns.adobe.com/xap/1.0/\0"
        if let xmp = cjpeg_find_marker(handle, Int32(JPEG_APP0 + 1), namespace, UInt32(namespace.utf8.count)),
           let found = ImageOrientation.xmpTag(in: UnsafeRawBufferPointer(start: xmp.pointee.data, count: Int(xmp.pointee.data_length))) {
            return found
        }
        return .upright
    }

    deinit { cjpeg_decoder_destroy(handle) }

    /// The smallest DCT scale n/8 whose output is still at least `width`×`height`.
    func smallestScale(atLeastWidth width: Int, height: Int) -> Int {
        for numerator in 1...8 {
            let scaledWidth = (header.width * numerator + 7) / 8
            let scaledHeight = (header.height * numerator + 7) / 8
            if scaledWidth >= width && scaledHeight >= height { return numerator }
        }
        return 8
    }

    /// Decodes at scale `numerator`/8, calling `start` with the decoded size and then `row`
    /// with each RGB row (3 bytes a pixel) top to bottom.
    func decode(scale numerator: Int, start: (Int, Int) -> Void, row: (UnsafePointer<UInt8>) -> Void) throws(ImagingError) {
        let outputSpace = header.isCMYK ? JCS_CMYK : JCS_RGB
        guard cjpeg_start(handle, UInt32(numerator), outputSpace, 0) == 0 else { throw failure("JPEG decode failed") }
        let width = Int(handle.pointee.cinfo.output_width)
        let height = Int(handle.pointee.cinfo.output_height)
        let components = Int(handle.pointee.cinfo.output_components)
        start(width, height)
        let batch = max(Int(handle.pointee.cinfo.rec_outbuf_height), 1)
        let decoded = UnsafeMutablePointer<UInt8>.allocate(capacity: batch * width * components)
        defer { decoded.deallocate() }
        let rgb = UnsafeMutablePointer<UInt8>.allocate(capacity: width * 3)
        defer { rgb.deallocate() }
        let rows = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: batch)
        defer { rows.deallocate() }
        for index in 0..<batch { rows[index] = decoded + index * width * components }
        var done = 0
        while done < height {
            let read = Int(cjpeg_read_scanlines(handle, rows, UInt32(batch)))
            guard read > 0 else { throw failure("JPEG decode failed") }
            guard handle.pointee.err.hit_end_of_data == 0 else { throw failure("JPEG data ends early (truncated file)") }
            for index in 0..<read {
                let line = decoded + index * width * components
                if components == 3 {
                    row(line)
                } else {
                    ColorConversion.toRGB(line, components: components, adobeInverted: header.adobeInverted,
                                          count: width, into: rgb)
                    row(rgb)
                }
            }
            done += read
        }
        guard cjpeg_finish(handle) == 0 else { throw failure("JPEG decode failed") }
    }

    private func failure(_ context: String) -> ImagingError {
        if handle.pointee.err.hit_end_of_data != 0 { return ImagingError(.corrupt, "JPEG data ends early (truncated file)") }
        // A progressive file keeps every coefficient; past the memory cap libjpeg asks for a
        // backing store, which this build does not have.
        if handle.pointee.err.pub.msg_code == Int32(JERR_NO_BACKING_STORE.rawValue) {
            return ImagingError(.tooLarge, "\(context): the image needs more decoder memory than allowed (raise --max-memory)")
        }
        return ImagingError(.corrupt, "\(context): \(Self.message(of: handle))")
    }

    static func message(of handle: UnsafeMutablePointer<cjpeg_decoder>) -> String {
        withUnsafeBytes(of: handle.pointee.err.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
