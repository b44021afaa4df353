// ColorConversion: rows of gray, CMYK and alpha pixels to 8-bit RGB, the one layout the
// resampler and the encoders take.

enum ColorConversion {
    /// Converts `count` pixels of 1 (gray), 2 (gray+alpha, alpha ignored), 4 (CMYK) components
    /// to RGB. CMYK is the naive conversion Pillow uses: R = (255−C)(255−K)/255; files with
    /// an Adobe marker store the inks inverted (0 = full ink), as Photoshop writes them.
    static func toRGB(_ source: UnsafePointer<UInt8>, components: Int, adobeInverted: Bool,
                      count: Int, into target: UnsafeMutablePointer<UInt8>) {
        switch components {
        case 4:
            for x in 0..<count {
                let pixel = source + x * 4
                var c = Int(pixel[0]), m = Int(pixel[1]), y = Int(pixel[2]), k = Int(pixel[3])
                if !adobeInverted { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k }
                target[x * 3] = UInt8((c * k + 127) / 255)
                target[x * 3 + 1] = UInt8((m * k + 127) / 255)
                target[x * 3 + 2] = UInt8((y * k + 127) / 255)
            }
        default:
            for x in 0..<count {
                let gray = source[x * components]
                target[x * 3] = gray
                target[x * 3 + 1] = gray
                target[x * 3 + 2] = gray
            }
        }
    }

    /// A whole RGBA image composited on an opaque background, as RGB.
    static func composite(_ rgba: [UInt8], background: RGBColor) -> [UInt8] {
        let count = rgba.count / 4
        var rgb = [UInt8](repeating: 0, count: count * 3)
        rgba.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                composite(source.baseAddress!, count: count, background: background, into: target.baseAddress!)
            }
        }
        return rgb
    }

    /// Composites `count` RGBA pixels on an opaque background, into RGB.
    static func composite(_ source: UnsafePointer<UInt8>, count: Int, background: RGBColor,
                          into target: UnsafeMutablePointer<UInt8>) {
        let backdrop = (Int(background.red), Int(background.green), Int(background.blue))
        for x in 0..<count {
            let pixel = source + x * 4
            let alpha = Int(pixel[3])
            let inverse = 255 - alpha
            target[x * 3] = UInt8((Int(pixel[0]) * alpha + backdrop.0 * inverse + 127) / 255)
            target[x * 3 + 1] = UInt8((Int(pixel[1]) * alpha + backdrop.1 * inverse + 127) / 255)
            target[x * 3 + 2] = UInt8((Int(pixel[2]) * alpha + backdrop.2 * inverse + 127) / 255)
        }
    }
}

/// An opaque 8-bit sRGB colour (the background transparent pixels are composited on).
public struct RGBColor: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let white = RGBColor(red: 255, green: 255, blue: 255)

    /// Parses `RRGGBB` (an optional leading `#`); nil for anything else.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `RRGGBB` in lower case, as `init?(hex:)` reads it.
    public var hexText: String {
        [red, green, blue].map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
