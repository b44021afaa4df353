// PixelBuffer: decoded 8-bit pixels, interleaved, rows packed without padding.

/// An image in memory: `channels` bytes per pixel (1 gray, 3 RGB, 4 RGBA), rows top to bottom.
public struct PixelBuffer: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * channels, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    public var rowBytes: Int { width * channels }

    /// The channel values of the pixel at (x, y).
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        let start = (y * width + x) * channels
        return pixels[start..<start + channels]
    }
}

/// Why an image could not be read or written; `code` is the error-record code.
public struct ImagingError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case corrupt, unsupportedFormat = "unsupported_format", tooLarge = "too_large", io = "io_error"
    }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
