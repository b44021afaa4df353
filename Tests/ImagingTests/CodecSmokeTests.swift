// The image libraries are linked and round-trip real pixels: JPEG through libjpeg-turbo,
// PNG (with alpha) through libpng; damaged data is an error, not a crash.
import Testing
@testable import Imaging

@Suite struct CodecSmokeTests {
    /// A smooth colour gradient with a hard-edged square: easy to compare after lossy coding.
    static func testImage(width: Int = 64, height: Int = 48) -> PixelBuffer {
        var image = PixelBuffer(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let inSquare = (16..<32).contains(x) && (16..<32).contains(y)
                image.pixels[i] = inSquare ? 250 : UInt8(x * 255 / (width - 1))
                image.pixels[i + 1] = inSquare ? 20 : UInt8(y * 255 / (height - 1))
                image.pixels[i + 2] = inSquare ? 20 : 128
            }
        }
        return image
    }

    @Test func jpegRoundTripKeepsSizeAndColours() throws {
        let original = Self.testImage()
        let encoded = try JPEGCodec.encode(original, quality: 95)
        #expect(encoded.starts(with: [0xFF, 0xD8, 0xFF]))
        let header = try JPEGCodec.readHeader(encoded)
        #expect(header == JPEGCodec.Header(width: 64, height: 48, components: 3))
        let decoded = try JPEGCodec.decodeRGB(encoded)
        #expect(decoded.width == 64 && decoded.height == 48 && decoded.channels == 3)
        let meanError = Double(zip(original.pixels, decoded.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +))
            / Double(original.pixels.count)
        #expect(meanError < 4, "lossy, but close: mean channel error \(meanError)")
        #expect(Array(decoded.pixel(x: 24, y: 24)).map { $0 > 200 } == [true, false, false])
    }

    @Test func pngRoundTripIsExact() throws {
        let original = Self.testImage(width: 33, height: 17)
        let decoded = try PNGCodec.decodeRGB(try PNGCodec.encode(original))
        #expect(decoded == original)
    }

    @Test func pngAlphaIsCompositedOnTheBackground() throws {
        var rgba = PixelBuffer(width: 3, height: 1, channels: 4)
        rgba.pixels = [10, 20, 30, 0, 10, 20, 30, 255, 0, 0, 0, 128]
        let encoded = try PNGCodec.encode(rgba)
        let onWhite = try PNGCodec.decodeRGB(encoded)
        #expect(Array(onWhite.pixel(x: 0, y: 0)) == [255, 255, 255])
        #expect(Array(onWhite.pixel(x: 1, y: 0)) == [10, 20, 30])
        let half = onWhite.pixel(x: 2, y: 0)
        #expect(half.allSatisfy { $0 > 60 && $0 < 200 }, "half-transparent black on white is grey, got \(Array(half))")
        let onRed = try PNGCodec.decodeRGB(encoded, background: (255, 0, 0))
        #expect(Array(onRed.pixel(x: 0, y: 0)) == [255, 0, 0])
    }

    @Test func damagedDataIsAnErrorWithACode() throws {
        let jpeg = try JPEGCodec.encode(Self.testImage())
        #expect {
            _ = try JPEGCodec.decodeRGB(Array(jpeg.prefix(20)))
        } throws: { error in
            (error as? ImagingError)?.code == .corrupt
        }
        #expect {
            _ = try PNGCodec.decodeRGB([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        } throws: { error in
            (error as? ImagingError)?.code == .corrupt
        }
        #expect(throws: ImagingError.self) { _ = try JPEGCodec.readHeader(Array("not an image".utf8)) }
    }
}
