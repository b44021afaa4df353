// Hostile and damaged input: every case ends in an error with the right code, never a crash,
// and huge images are refused from the header before any pixel memory is taken.
import Foundation
import Testing
@testable import Imaging

@Suite struct HostileInputTests {
    static let decodable = ["upright.jpg", "progressive.jpg", "arithmetic.jpg", "cmyk.jpg", "source.png",
                            "interlaced.png", "rgb16.png", "lossy.webp", "alpha.webp"]

    @Test(arguments: decodable)
    func truncatedFilesAreCorrupt(name: String) throws {
        let whole = try Fixture.bytes(name)
        for fraction in [0.02, 0.3, 0.6, 0.95] {
            let cut = Array(whole.prefix(Int(Double(whole.count) * fraction)))
            let code = ImagingError.Code.of { _ = try ImageResizer.resize(cut, options: ResizeOptions()) }
            #expect(code == .corrupt, "\(name) cut at \(cut.count) of \(whole.count) bytes: \(String(describing: code))")
        }
    }

    @Test func randomBytesAreCorruptEvenBehindARealSignature() {
        var random = SeededBytes(seed: 20261127)
        let signatures: [[UInt8]] = [[], [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                                     Array("RIFF\u{0}\u{1}\u{0}\u{0}WEBPVP8 ".utf8)]
        for round in 0..<200 {
            let signature = signatures[round % signatures.count]
            let data = signature + random.bytes(Int.random(in: 0...4096, using: &random))
            let code = ImagingError.Code.of { _ = try ImageResizer.resize(data, options: ResizeOptions()) }
            #expect(code == .corrupt, "round \(round): \(String(describing: code))")
        }
    }

    // No wall-clock bound (it flakes under load): decoding ten gigapixels would need about 30 GB
    // and fail otherwise, so `tooLarge` itself shows the header refused it; the time limit only
    // catches a hang. It is generous because it runs from when the test is scheduled: in the
    // full suite end-to-end tests can hold both cores' worker threads for a minute or more.
    @Test(.timeLimit(.minutes(10)))
    func aPNGHeaderClaiming100000By100000IsTooLargeBeforeDecoding() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", bigEndian(100_000) + bigEndian(100_000) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        png += chunk("IEND", [])
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(png, options: ResizeOptions()) } == .tooLarge)
        var generous = ResizeOptions()
        generous.maximumPixels = Int.max
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(png, options: generous) } == .tooLarge,
                "one gigapixel is the ceiling whatever --max-pixels says")
        // A size within the limit with far too little data is simply damaged.
        png.replaceSubrange(8..<33, with: chunk("IHDR", bigEndian(2000) + bigEndian(2000) + [8, 2, 0, 0, 0]))
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(png, options: ResizeOptions()) } == .corrupt)
    }

    @Test func aJPEGHeaderClaiming65000By65000IsTooLarge() throws {
        var jpeg = try Fixture.bytes("upright.jpg")
        let sof = try #require((0..<jpeg.count - 9).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg.replaceSubrange(sof + 5..<sof + 9, with: [0xFD, 0xE8, 0xFD, 0xE8])  // height, width = 65000
        #expect(try JPEGCodec.readHeader(jpeg).width == 65000)
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(jpeg, options: ResizeOptions()) } == .tooLarge)
    }

    @Test func maxPixelsIsTheLimit() throws {
        var options = ResizeOptions()
        options.maximumPixels = 320 * 192 - 1
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(try Fixture.bytes("upright.jpg"), options: options) } == .tooLarge)
        options.maximumPixels = 320 * 192
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(try Fixture.bytes("upright.jpg"), options: options) } == nil)
    }

    @Test(arguments: ["unsupported.gif", "unsupported.bmp", "unsupported.tiff"])
    func recognisedButUndecodableFormatsAreUnsupported(name: String) {
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(try Fixture.bytes(name), options: ResizeOptions()) } == .unsupportedFormat)
    }

    @Test func damagedICCAndEXIFSegmentsDoNotStopTheDecode() throws {
        let jpeg = try Fixture.bytes("upright.jpg")
        var random = SeededBytes(seed: 7)
        let icc = segment(0xE2, Array("ICC_PROFILE\u{0}".utf8) + [1, 1] + random.bytes(300))
        let exif = segment(0xE1, Array("Exif\u{0}\u{0}MM\u{0}*".utf8) + [0xFF, 0xFF, 0xFF, 0x00] + random.bytes(64))
        let damaged = Array(jpeg.prefix(2)) + icc + exif + Array(jpeg.dropFirst(2))
        let result = try ImageResizer.resize(damaged, options: ResizeOptions())
        #expect(result.width == 320 && result.height == 192)
    }

    @Test func exifParserSurvivesEveryTruncation() throws {
        let exif: [UInt8] = Array("II*\u{0}".utf8) + [8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]
        #expect(exif.withUnsafeBytes { ImageOrientation.fromEXIF($0) } == ImageOrientation(6))
        for length in 0..<exif.count {
            let value = exif.prefix(length).withUnsafeBytes { ImageOrientation.fromEXIF(UnsafeRawBufferPointer($0)) }
            #expect(value == .upright || value == ImageOrientation(6))
        }
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    private func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
