// ImageOrientation: the EXIF Orientation tag (read from a JPEG's APP1, a WebP's EXIF chunk, a
// PNG's eXIf or ImageMagick's raw-profile text) or XMP's tiff:Orientation, and the pixel
// transform that makes the stored image upright.

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
        exifTag(in: tiff) ?? .upright
    }

    /// The Orientation tag of a TIFF-structured EXIF block, with or without the `Exif\0\0`
    /// prefix; nil when the block has none (so a lower-precedence source may speak).
    static func exifTag(in block: UnsafeRawBufferPointer) -> ImageOrientation? {
        let prefix = Array("Exif\0\0".utf8)
        if block.count >= 6, block.prefix(6).elementsEqual(prefix) {
            return exifTag(in: UnsafeRawBufferPointer(rebasing: block[6...]))
        }
        let tiff = block
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
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
        guard read16(2) == 42, let directory = read32(4), let entries = read16(directory) else { return nil }
        for entry in 0..<min(entries, 512) {
            let offset = directory + 2 + entry * 12
            guard let tag = read16(offset) else { break }
            guard tag == 0x0112 else { continue }
            guard read16(offset + 2) == 3, let value = read16(offset + 8) else { return nil }
            return ImageOrientation(value)
        }
        return nil
    }

    /// XMP's `tiff:Orientation`, as an attribute (`tiff:Orientation="6"`) or an element
    /// (`<tiff:Orientation>6</tiff:Orientation>`) — the two forms Pillow's and libvips' readers
    /// accept; nil when the packet has none.
    static func xmpTag(in xmp: UnsafeRawBufferPointer) -> ImageOrientation? {
        let name = Array("tiff:Orientation".utf8)
        guard xmp.count > name.count + 2, let first = name.first else { return nil }
        var index = 0
        while index + name.count + 2 < xmp.count {
            guard let start = xmp[index...].firstIndex(of: first) else { return nil }
            index = start + 1
            guard start + name.count + 2 < xmp.count,
                  xmp[start..<start + name.count].elementsEqual(name) else { continue }
            var cursor = start + name.count
            switch xmp[cursor] {
            case UInt8(ascii: "="):
                guard xmp[cursor + 1] == UInt8(ascii: "\"") || xmp[cursor + 1] == UInt8(ascii: "'") else { continue }
                cursor += 2
            case UInt8(ascii: ">"):
                cursor += 1
            default:
                continue
            }
            guard cursor < xmp.count, (UInt8(ascii: "1")...UInt8(ascii: "8")).contains(xmp[cursor]) else { continue }
            return ImageOrientation(Int(xmp[cursor] - UInt8(ascii: "0")))
        }
        return nil
    }

    /// The EXIF block in ImageMagick's "Raw profile type exif" (or "APP1") text: a newline, the
    /// profile name, the byte count, then the bytes in hex over many lines. At most `limit`
    /// bytes are decoded (the Orientation tag sits in the first directory).
    static func rawProfileBytes(_ text: UnsafeRawBufferPointer, limit: Int) -> [UInt8] {
        var index = 0
        func skipSpace() { while index < text.count, text[index] <= 0x20 { index += 1 } }
        skipSpace()
        while index < text.count, text[index] > 0x20 { index += 1 }  // the profile name
        skipSpace()
        var declared = 0
        while index < text.count, (0x30...0x39).contains(text[index]), declared < 1 << 30 {
            declared = declared * 10 + Int(text[index] - 0x30)
            index += 1
        }
        let wanted = min(declared, limit)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wanted)
        var high: UInt8?
        while index < text.count, bytes.count < wanted {
            let character = text[index]
            index += 1
            let nibble: UInt8
            switch character {
            case 0x30...0x39: nibble = character - 0x30
            case 0x61...0x66: nibble = character - 0x61 + 10
            case 0x41...0x46: nibble = character - 0x41 + 10
            case 0...0x20: continue
            default: return bytes
            }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
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
