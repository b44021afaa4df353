// Every decoder bounded in memory whatever the file claims: a chunk length beyond the file is
// corrupt at once, ancillary chunks are skipped unread (a zlib bomb in them costs nothing),
// compressed XMP is inflated only so far, and what a decode will need (a progressive JPEG's
// coefficients, a WebP's planes, the file itself) is counted against --max-memory first.
import CPNG
import Testing
@testable import Imaging

@Suite struct MemoryBoundTests {
    /// The input fuzzing found (issue #19): IHDR 10×10 RGBA, gAMA, cHRM, pHYs, then an iTXt whose
    /// length field says 2,139,030,511 bytes followed by ~1 KB of XMP text, and no IEND.
    static func lyingITXtPNG() -> [UInt8] {
        var xmp = Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0]
        xmp += Array("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">".utf8) + [UInt8](repeating: 0x20, count: 1000) + Array("</x:xmpmeta>".utf8)
        return PNGBuilder.header(width: 10, height: 10, colorType: 6) + PNGBuilder.chunk("iTXt", xmp, declaredLength: 2_139_030_511)
    }

    @Test func aChunkLongerThanTheRestOfTheFileIsCorruptAtOnce() throws {
        let png = Self.lyingITXtPNG()
        #expect(png.count < 1400)
        do {
            _ = try ImageResizer.resize(png, options: ResizeOptions())
            Issue.record("a PNG with a lying iTXt length was accepted")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("iTXt") && error.message.contains("2139030511"), "\(error.message)")
        }
    }

    @Test func zlibBombsInICCPAndTextChunksAreNeverInflated() throws {
        let bomb = PNGBuilder.deflate(zeros: 16 << 20)
        let iccp = PNGBuilder.chunk("iCCP", Array("icc".utf8) + [0, 0] + bomb)
        let ztxt = PNGBuilder.chunk("zTXt", Array("Comment".utf8) + [0, 0] + bomb)
        let png = PNGBuilder.header(width: 10, height: 10, colorType: 6) + iccp + ztxt + PNGBuilder.pixels(width: 10, height: 10) + PNGBuilder.chunk("IEND", [])
        let clock = ContinuousClock()
        var result: ResizedImage?
        let elapsed = try clock.measure { result = try ImageResizer.resize(png, options: ResizeOptions()) }
        #expect(result?.width == 10 && result?.height == 10)
        #expect(elapsed < .milliseconds(500), "16 MB of zeros inflated twice would take longer: \(elapsed)")
        // Without image data the same file is one clear error.
        let headerOnly = PNGBuilder.header(width: 10, height: 10, colorType: 6) + iccp
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(headerOnly, options: ResizeOptions()) } == .corrupt)
    }

    @Test func compressedXMPIsInflatedOnlyAsFarAsTheCap() throws {
        let packet = Array("<x:xmpmeta><rdf:Description tiff:Orientation=\"6\"/></x:xmpmeta>".utf8)
        var early = Array("XML:com.adobe.xmp".utf8) + [0, 1, 0, 0, 0]
        early += PNGBuilder.deflate(packet + [UInt8](repeating: 0x20, count: 4 << 20))
        var late = Array("XML:com.adobe.xmp".utf8) + [0, 1, 0, 0, 0]
        late += PNGBuilder.deflate([UInt8](repeating: 0x20, count: PNGMetadata.inflateLimit) + packet)
        for (chunk, expected) in [(early, ImageOrientation(6)), (late, .upright)] {
            let png = PNGBuilder.header(width: 12, height: 10, colorType: 2) + PNGBuilder.chunk("iTXt", chunk)
                + PNGBuilder.pixels(width: 12, height: 10, channels: 3) + PNGBuilder.chunk("IEND", [])
            let orientation = try png.withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
                try PNGDecoder(bytes).header.orientation
            }
            #expect(orientation == expected, "a tag past the \(PNGMetadata.inflateLimit)-byte cap is not looked for")
        }
    }

    @Test func aProgressiveJPEGsCoefficientsCountAgainstMaxMemory() throws {
        let image = PixelBuffer(width: 1200, height: 1000, channels: 3, fill: 128)
        let progressive = try JPEGCodec.encode(image, quality: 90, progressive: true, chroma: .full)
        let baseline = try JPEGCodec.encode(image, quality: 90, progressive: false, chroma: .full)
        var tight = ResizeOptions()
        tight.maximumMemory = 8 << 20  // the coefficients alone: 3 × 1200×1000 × 2 bytes = 6.9 MB, plus the rest
        do {
            _ = try ImageResizer.resize(progressive, options: tight)
            Issue.record("a progressive JPEG over the budget was decoded")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("JPEG 1200×1000 progressive needs about") && error.message.contains("--max-memory 8M"),
                    "\(error.message)")
        }
        #expect(try ImageResizer.resize(baseline, options: tight).width == 768, "a baseline file streams: no coefficient buffer")
        #expect(try ImageResizer.resize(progressive, options: ResizeOptions()).width == 768)
    }

    @Test func webPPlanesAndTheFileCountToo() throws {
        let webp = try Fixture.bytes("lossy.webp")
        var options = ResizeOptions()
        options.maximumMemory = webp.count + 4096
        do {
            _ = try ImageResizer.resize(webp, options: options)
            Issue.record("a WebP over the budget was decoded")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.message.hasPrefix("WebP 160×96 needs about"), "\(error.message)")
        }
        options.maximumMemory = webp.count - 1
        #expect(ImagingError.Code.of { _ = try ImageResizer.resize(webp, options: options) } == .tooLarge)
        let path = Fixture.directory + "/lossy.webp"
        #expect(ImagingError.Code.of { _ = try ImageFile.read(path, maximumBytes: webp.count - 1) } == .tooLarge,
                "refused from its size before it is read")
        #expect(try ImageFile.read(path, maximumBytes: webp.count).count == webp.count)
    }

    @Test func byteSizesReadAsPeopleWriteThem() {
        #expect(ByteSize("128M")?.bytes == 128 << 20)
        #expect(ByteSize("512MB")?.bytes == 512 << 20)
        #expect(ByteSize("1GiB")?.bytes == 1 << 30)
        #expect(ByteSize("64k")?.bytes == 64 << 10)
        #expect(ByteSize("1000")?.bytes == 1000)
        for bad in ["", "M", "12X", "-1M", "1.5G", "99999999999999999999G"] { #expect(ByteSize(bad) == nil, "\(bad)") }
        #expect(ByteSize(bytes: 512 << 20).description == "512M")
        #expect(ByteSize(bytes: 2 << 30).description == "2G")
    }
}

/// Builds PNG files chunk by chunk, including ones that lie.
enum PNGBuilder {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// A chunk with its CRC; `declaredLength` writes another length than the data's.
    static func chunk(_ type: String, _ data: [UInt8], declaredLength: UInt32? = nil) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return bigEndian(declaredLength ?? UInt32(data.count)) + body + bigEndian(crc)
    }

    /// The signature, IHDR (8-bit, `colorType` 2 RGB or 6 RGBA) and the gAMA, cHRM and pHYs chunks
    /// ImageMagick writes.
    static func header(width: UInt32, height: UInt32, colorType: UInt8) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, colorType, 0, 0, 0])
            + chunk("gAMA", bigEndian(45455))
            + chunk("cHRM", [UInt8](repeating: 0, count: 32))
            + chunk("pHYs", bigEndian(2835) + bigEndian(2835) + [1])
    }

    /// An IDAT of mid-grey (opaque) pixels.
    static func pixels(width: Int, height: Int, channels: Int = 4) -> [UInt8] {
        var raw: [UInt8] = []
        for _ in 0..<height { raw += [0] + [UInt8](repeating: channels == 4 ? 0xFF : 0x80, count: width * channels) }
        return chunk("IDAT", deflate(raw))
    }

    static func deflate(zeros count: Int) -> [UInt8] { deflate([UInt8](repeating: 0, count: count)) }

    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(UInt(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { compress2(target.baseAddress, &size, $0.baseAddress, UInt(bytes.count), 9) }
        }
        precondition(status == Z_OK, "zlib compress2 failed")
        return Array(out.prefix(Int(size)))
    }
}
