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

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies that throw ImagingError (Array's own rethrows `any Error`).
    func withImageBytes<T>(_ body: (UnsafeRawBufferPointer) throws(ImagingError) -> T) throws(ImagingError) -> T {
        let result: Result<T, ImagingError> = withUnsafeBytes { bytes in
            do throws(ImagingError) { return .success(try body(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
