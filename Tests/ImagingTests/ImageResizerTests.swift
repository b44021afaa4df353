// The resizer on real images of every kind found in the wild: orientation, CMYK, gray, alpha,
// 16-bit, palette, interlaced, progressive, arithmetic-coded, WebP; size rules; keep-small.
import Foundation
import CJPEG
import Testing
@testable import Imaging

@Suite struct ImageResizerTests {
    @Test(arguments: 1...8)
    func everyEXIFOrientationComesOutUpright(value: Int) throws {
        let upright = try Fixture.resized("upright.jpg") { $0.maximumSize = 160 }
        let turned = try Fixture.resized("orientation-\(value).jpg") { $0.maximumSize = 160 }
        #expect(turned.width == upright.width && turned.height == upright.height)
        let corner = Compare.meanDifference(turned, upright, x: 0..<48, y: 0..<32)
        #expect(corner < 4, "top-left region differs from the upright reference by \(corner)")
        #expect(Compare.meanDifference(turned, upright) < 4)
        if value != 1 {
            // The stored pixels really are turned: read as stored, they would not match.
            let header = try JPEGCodec.readHeader(try Fixture.bytes("orientation-\(value).jpg"))
            #expect(header.orientation == value)
            let stored = try JPEGCodec.decodeRGB(try Fixture.bytes("orientation-\(value).jpg"))
            let full = try JPEGCodec.decodeRGB(try Fixture.bytes("upright.jpg"))
            if stored.width == full.width {
                #expect(Compare.meanDifference(stored, full, x: 0..<96, y: 0..<64) > 15)
            }
        }
    }

    @Test func cmykWithInvertedAdobeInksMatchesTheRGBSource() throws {
        let source = try PNGCodec.decodeRGB(try Fixture.bytes("source.png"))
        let converted = try Fixture.resized("cmyk.jpg") { $0.format = .png }
        #expect(try JPEGCodec.readHeader(try Fixture.bytes("cmyk.jpg")).components == 4)
        let difference = Compare.meanDifference(converted, source)
        #expect(difference < 6, "CMYK → RGB differs from the source by \(difference) on average")
        #expect(Compare.meanDifference(try JPEGCodec.decodeRGB(try Fixture.bytes("cmyk.jpg")), source) < 6)
    }

    @Test(arguments: [false, true])
    func ycckAndPlainCMYKWithAdobeInksMatchTheRGBSource(ycck: Bool) throws {
        // Adobe's inverted inks for an RGB pixel with no black: C' = R, M' = G, Y' = B, K' = 255.
        let source = try PNGCodec.decodeRGB(try Fixture.bytes("source.png"))
        var inks = PixelBuffer(width: source.width, height: source.height, channels: 4, fill: 255)
        for index in 0..<source.width * source.height {
            for channel in 0..<3 { inks.pixels[index * 4 + channel] = source.pixels[index * 3 + channel] }
        }
        let jpeg = try JPEGCodec.encodeCMYK(inks, ycck: ycck)
        let header = try jpeg.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in try JPEGDecoder(bytes).header }
        #expect(header.colorSpace == (ycck ? JCS_YCCK : JCS_CMYK) && header.adobeInverted)
        let converted = try Fixture.decode(try ImageResizer.resize(jpeg, options: { var o = ResizeOptions(); o.format = .png; return o }()).encoded)
        let difference = Compare.meanDifference(converted, source)
        #expect(difference < 4, "\(ycck ? "YCCK" : "CMYK") → RGB differs from the source by \(difference)")
    }

    @Test(arguments: ["gray.jpg", "gray.png"])
    func grayBecomesRGBWithEqualChannels(name: String) throws {
        let image = try Fixture.resized(name) { $0.format = .png }
        #expect(image.channels == 3)
        var unequal = 0
        for index in stride(from: 0, to: image.pixels.count, by: 3)
        where image.pixels[index] != image.pixels[index + 1] || image.pixels[index] != image.pixels[index + 2] {
            unequal += 1
        }
        #expect(unequal == 0)
        #expect(Set(image.pixels).count > 50, "a real photo, not a flat image")
    }

    @Test(arguments: ["alpha.png", "alpha.webp", "palette-trns.png"])
    func alphaIsCompositedOnWhiteByDefaultAndOnTheGivenBackground(name: String) throws {
        let source = try PNGCodec.decodeRGB(try Fixture.bytes("source.png"))
        let onWhite = try Fixture.resized(name) { $0.format = .png }
        let onBlack = try Fixture.resized(name) { $0.format = .png; $0.background = RGBColor(red: 0, green: 0, blue: 0) }
        let left = 0..<2, right = (source.width - 2)..<source.width
        var white = PixelBuffer(width: source.width, height: source.height, channels: 3, fill: 255)
        #expect(Compare.meanDifference(onWhite, white, x: left) < 12, "transparent edge is white")
        white = PixelBuffer(width: source.width, height: source.height, channels: 3, fill: 0)
        #expect(Compare.meanDifference(onBlack, white, x: left) < 12, "transparent edge is the background")
        #expect(Compare.meanDifference(onWhite, source, x: right) < 12, "opaque edge keeps its colours")
        #expect(Compare.meanDifference(onBlack, source, x: right) < 12)
    }

    @Test func sixteenBitPNGMatchesItsEightBitSource() throws {
        let source = try PNGCodec.decodeRGB(try Fixture.bytes("source.png"))
        let deep = try Fixture.resized("rgb16.png") { $0.format = .png }
        let largest = zip(deep.pixels, source.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(largest <= 1)
    }

    @Test(arguments: [("palette.png", 8.0), ("interlaced.png", 0.0), ("lossy.webp", 6.0)])
    func variantsMatchTheSource(name: String, tolerance: Double) throws {
        let source = try PNGCodec.decodeRGB(try Fixture.bytes("source.png"))
        let decoded = try Fixture.resized(name) { $0.format = .png }
        #expect(Compare.meanDifference(decoded, source) <= tolerance)
    }

    @Test(arguments: ["progressive.jpg", "arithmetic.jpg"])
    func losslessJPEGTranscodesDecodeToTheSamePixels(name: String) throws {
        let baseline = try JPEGCodec.decodeRGB(try Fixture.bytes("upright.jpg"))
        #expect(try JPEGCodec.decodeRGB(try Fixture.bytes(name)) == baseline)
        let shrunk = try Fixture.resized(name) { $0.maximumSize = 100; $0.format = .png }
        #expect(shrunk == (try Fixture.resized("upright.jpg") { $0.maximumSize = 100; $0.format = .png }))
    }

    @Test func dctScaledDecodeMatchesAFullDecodeResample() throws {
        var options = ResizeOptions()
        options.maximumSize = 96
        options.format = .png
        let fast = try Fixture.decode(try ImageResizer.resize(try Fixture.bytes("upright.jpg"), options: options).encoded)
        let full = try JPEGCodec.decodeRGB(try Fixture.bytes("upright.jpg"))
        let resampler = LanczosResampler(sourceWidth: full.width, sourceHeight: full.height,
                                         targetWidth: fast.width, targetHeight: fast.height)
        full.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<full.height { resampler.push(pixels.baseAddress! + row * full.rowBytes) }
        }
        let psnr = Compare.psnr(fast, resampler.finish())
        #expect(psnr > 33, "DCT-domain scaling then Lanczos is \(psnr) dB from the full-decode Lanczos")
    }

    @Test func resultsNeverGrowAndKeepTheAspectRatio() throws {
        for (width, height, limit) in [(2560, 1600, 768), (1600, 2560, 768), (1000, 333, 768), (10000, 1, 768), (500, 300, 768), (769, 768, 768)] {
            let target = ImageResizer.targetSize(width: width, height: height, maximumSize: limit)
            #expect(max(target.width, target.height) == min(limit, max(width, height)))
            #expect(target.width <= width && target.height <= height && target.width >= 1 && target.height >= 1)
            let exact = Double(height) * Double(target.width) / Double(width)
            #expect(abs(Double(target.height) - exact) <= 0.5 || target.height == 1)
        }
    }

    @Test func smallImagesAreReencodedAtTheirSizeOrCopiedAsIs() throws {
        let original = try Fixture.bytes("small.jpg")
        let header = try JPEGCodec.readHeader(original)
        let reencoded = try ImageResizer.resize(original, options: ResizeOptions())
        #expect(reencoded.width == header.width && reencoded.height == header.height)
        #expect(!reencoded.copiedAsIs && reencoded.encoded != original)
        var options = ResizeOptions()
        options.keepSmall = true
        let kept = try ImageResizer.resize(original, options: options)
        #expect(kept.copiedAsIs && kept.encoded == original)
        // A turned image is never copied: its pixels need turning.
        let turned = try ImageResizer.resize(try Fixture.bytes("orientation-6.jpg"), options: options)
        #expect(!turned.copiedAsIs && turned.width == 320 && turned.height == 192)
    }

    @Test func lanczosKeepsFlatAreasFlatAndRampsLinear() {
        let width = 256, height = 8
        var ramp = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<width { for c in 0..<3 { ramp[(y * width + x) * 3 + c] = c == 2 ? 90 : UInt8(x) } } }
        let resampler = LanczosResampler(sourceWidth: width, sourceHeight: height, targetWidth: 64, targetHeight: 2)
        ramp.withUnsafeBufferPointer { pixels in for y in 0..<height { resampler.push(pixels.baseAddress! + y * width * 3) } }
        let result = resampler.finish()
        for y in 0..<2 {
            for x in 4..<60 {
                let expected = (Double(x) + 0.5) * 4 - 0.5
                #expect(abs(Double(result.pixel(x: x, y: y)[(y * 64 + x) * 3]) - expected) <= 1)
                #expect(result.pixel(x: x, y: y)[(y * 64 + x) * 3 + 2] == 90)
            }
        }
    }

    @Test func formatIsToldFromTheBytesNotTheName() throws {
        let png = try Fixture.bytes("source.png")
        #expect(png.withUnsafeBytes { ImageFormat.sniff($0) } == .png)
        #expect(ImageFormat.fromExtension(of: "a/B.JPEG") == .jpeg && ImageFormat.fromExtension(of: "x.Tif") == .tiff)
        #expect(ImageFormat.fromExtension(of: "dir.jpg/readme") == nil)
        #expect(try ImageResizer.resize(png, options: ResizeOptions()).sourceFormat == .png)
    }
}
