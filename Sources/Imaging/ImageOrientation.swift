// ImageOrientation: the EXIF Orientation tag (read from a JPEG's APP1 or a WebP's EXIF chunk)
// and the pixel transform that makes the stored image upright.

/// EXIF orientation 1…8: how the stored pixels must be transformed to be seen upright.
public struct ImageOrientation: Sendable, Equatable {
    public let value: Int

    public static let upright = ImageOrientation(1)

    /// Values outside 1…8 (which cameras do write) mean upright.
    public init(_ value: Int) {
        self.value = (1...8).contains(value) ? value : 1
    }

    /// Orientations 5–8 turn the image a quarter: width and height swap.
    public var swapsDimensions: Bool { value >= 5 }

    /// Reads the orientation from a TIFF-structured EXIF block (after the `Exif\0\0` prefix);
    /// upright when the block is absent, malformed, or has no Orientation tag.
    public static func fromEXIF(_ tiff: UnsafeRawBufferPointer) -> ImageOrientation {
        guard tiff.count >= 8 else { return .upright }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return .upright
        }
        func read16(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 2 <= tiff.count else { return nil }
            let a = Int(tiff[offset]), b = Int(tiff[offset + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func read32(_ offset: Int) -> Int? {
            guard let low = read16(littleEndian ? offset : offset + 2),
                  let high = read16(littleEndian ? offset + 2 : offset) else { return nil }
            return high << 16 | low
        }
        guard read16(2) == 42, let directory = read32(4), let entries = read16(directory) else { return .upright }
        for entry in 0..<min(entries, 512) {
            let offset = directory + 2 + entry * 12
            guard let tag = read16(offset) else { break }
            guard tag == 0x0112 else { continue }
            guard read16(offset + 2) == 3, let value = read16(offset + 8) else { return .upright }
            return ImageOrientation(value)
        }
        return .upright
    }

    /// The image as seen upright.
    public func apply(to image: PixelBuffer) -> PixelBuffer {
        guard value != 1 else { return image }
        let width = image.width, height = image.height, channels = image.channels
        let outWidth = swapsDimensions ? height : width
        let outHeight = swapsDimensions ? width : height
        var result = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy) = sourcePosition(x: x, y: y, width: width, height: height)
                        let from = (sy * width + sx) * channels
                        let to = (y * outWidth + x) * channels
                        for channel in 0..<channels { target[to + channel] = source[from + channel] }
                    }
                }
            }
        }
        return PixelBuffer(width: outWidth, height: outHeight, channels: channels, pixels: result)
    }

    /// Where the upright pixel (x, y) is stored, for a stored image of `width`×`height`.
    func sourcePosition(x: Int, y: Int, width: Int, height: Int) -> (Int, Int) {
        switch value {
        case 2: return (width - 1 - x, y)
        case 3: return (width - 1 - x, height - 1 - y)
        case 4: return (x, height - 1 - y)
        case 5: return (y, x)
        case 6: return (y, height - 1 - x)
        case 7: return (width - 1 - y, height - 1 - x)
        case 8: return (width - 1 - y, x)
        default: return (x, y)
        }
    }
}
