// Orientation wherever a file keeps it, in files made by the tools that write them: ImageMagick's
// eXIf chunk after IDAT, exiftool's XMP in PNG, JPEG and WebP, ImageMagick's "Raw profile type
// exif" text, and EXIF winning over XMP. Each result is compared with Pillow's exif_transpose.
import Foundation
import Testing
import TestUtilities
@testable import Imaging

@Suite struct OrientationSourcesTests {
    /// A scratch folder with `base.png`/`base.jpg`/`base.webp`: the upright fixture at 64×40, no metadata.
    final class Workbench {
        let directory: String

        init() throws {
            directory = NSTemporaryDirectory() + "orientation-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in ["base.png", "base.jpg", "base.webp"] {
                try ExternalTool.run(ExternalTool.convert, [Fixture.directory + "/upright.jpg", "-resize", "64x40!", "-strip", file(name)])
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func file(_ name: String) -> String { directory + "/" + name }

        func copy(_ from: String, _ to: String) throws -> String {
            try FileManager.default.copyItem(atPath: file(from), toPath: file(to))
            return file(to)
        }

        /// Our upright result (no resampling, PNG) and Pillow's exif_transpose of the same file.
        func compareWithPillow(_ path: String) throws -> (ours: PixelBuffer, pillow: PixelBuffer) {
            var options = ResizeOptions()
            options.maximumSize = 4096
            options.format = .png
            let ours = try PNGCodec.decodeRGB(try ImageResizer.resize(try ImageFile.read(path), options: options).encoded)
            let reference = path + ".pillow.png"
            try ExternalTool.run(ExternalTool.python, ["-c", """
                import sys
                from PIL import Image, ImageOps
                ImageOps.exif_transpose(Image.open(sys.argv[1])).convert("RGB").save(sys.argv[2])
                """, path, reference])
            return (ours, try PNGCodec.decodeRGB(try ImageFile.read(reference)))
        }
    }

    /// Asserts our result is upright as Pillow's is (same size, close pixels) and turned as `expected` says.
    private func expectUprightLikePillow(_ bench: Workbench, _ path: String, turned: Bool,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (ours, pillow) = try bench.compareWithPillow(path)
        #expect(ours.width == (turned ? 40 : 64) && ours.height == (turned ? 64 : 40),
                "\(path): \(ours.width)×\(ours.height)", sourceLocation: sourceLocation)
        #expect(pillow.width == ours.width && pillow.height == ours.height,
                "Pillow \(pillow.width)×\(pillow.height)", sourceLocation: sourceLocation)
        guard pillow.width == ours.width, pillow.height == ours.height else { return }
        let psnr = Compare.psnr(ours, pillow)
        #expect(psnr > 35, "\(path): PSNR \(psnr) dB against Pillow", sourceLocation: sourceLocation)
    }

    @Test func imageMagicksEXIfChunkAfterIDATIsRead() throws {
        let bench = try Workbench()
        let six = bench.file("im-6.png"), eight = bench.file("im-8.png")
        try ExternalTool.run(ExternalTool.convert, [Fixture.directory + "/orientation-6.jpg", "-resize", "40x64!", six])
        try ExternalTool.run(ExternalTool.convert, [Fixture.directory + "/orientation-6.jpg", "-resize", "40x64!", "-orient", "left-bottom", eight])
        let types = try PNGChunks.types(in: try ImageFile.read(six))
        let exif = try #require(types.firstIndex(of: "eXIf"), "ImageMagick wrote an eXIf chunk: \(types)")
        #expect(exif > types.lastIndex(of: "IDAT")!, "the case in question: eXIf after IDAT (\(types))")
        let readSix = try ImageFile.read(six).withImageBytes { (bytes: UnsafeRawBufferPointer) throws(ImagingError) in
            try PNGDecoder(bytes).header.orientation
        }
        #expect(readSix == ImageOrientation(6))
        try expectUprightLikePillow(bench, six, turned: false)
        try expectUprightLikePillow(bench, eight, turned: false)
    }

    @Test func xmpOrientationIsReadInPNGJPEGAndWebP() throws {
        let bench = try Workbench()
        for (name, value, turned) in [("base.png", 6, true), ("base.jpg", 8, true), ("base.webp", 3, false), ("base.png", 2, false)] {
            let path = try bench.copy(name, "xmp-\(value)-" + name)
            try ExternalTool.run(ExternalTool.exiftool, ["-q", "-overwrite_original", "-XMP-tiff:Orientation#=\(value)", path])
            try expectUprightLikePillow(bench, path, turned: turned)
        }
    }

    @Test func imageMagicksRawProfileTextIsRead() throws {
        let bench = try Workbench()
        // ImageMagick 6's own layout: a newline, the name, the byte count right-aligned, then
        // the EXIF bytes (with the Exif\0\0 prefix) in hex lines of 72 digits, zTXt-compressed.
        let path = bench.file("raw-profile.png")
        try ExternalTool.run(ExternalTool.python, ["-c", """
            import struct, sys, zlib
            exif = b"Exif\\0\\0MM\\0*\\0\\0\\0\\x08\\0\\x01\\x01\\x12\\0\\x03\\0\\0\\0\\x01\\0\\x06\\0\\0\\0\\0\\0\\0"
            hexed = exif.hex()
            text = "\\nexif\\n%8d\\n" % len(exif) + "\\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\\n"
            body = b"Raw profile type exif\\0\\0" + zlib.compress(text.encode())
            chunk = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body))
            png = open(sys.argv[1], "rb").read()
            open(sys.argv[2], "wb").write(png[:33] + chunk + png[33:])
            """, bench.file("base.png"), path])
        #expect(try PNGChunks.types(in: try ImageFile.read(path)).contains("zTXt"))
        try expectUprightLikePillow(bench, path, turned: true)
    }

    @Test func exifWinsOverXMP() throws {
        let bench = try Workbench()
        for name in ["base.jpg", "base.png"] {
            let path = try bench.copy(name, "both-" + name)
            try ExternalTool.run(ExternalTool.exiftool, ["-q", "-overwrite_original", "-EXIF:Orientation#=3", "-XMP-tiff:Orientation#=6", path])
            try expectUprightLikePillow(bench, path, turned: false)
        }
    }

    @Test func xmpPacketsAreMatchedInBothForms() {
        func tag(_ text: String) -> ImageOrientation? { Array(text.utf8).withUnsafeBytes { ImageOrientation.xmpTag(in: $0) } }
        #expect(tag("<rdf:Description tiff:Orientation=\"6\"/>") == ImageOrientation(6))
        #expect(tag("<tiff:Orientation>8</tiff:Orientation>") == ImageOrientation(8))
        #expect(tag("<tiff:Orientation='3'/>") == ImageOrientation(3))
        #expect(tag("<exif:Orientation>6</exif:Orientation> tiff:OrientationX=\"6\"") == nil)
        #expect(tag("tiff:Orientation") == nil)
    }
}

/// The chunk types of a PNG, in file order.
enum PNGChunks {
    static func types(in png: [UInt8]) throws -> [String] {
        var types: [String] = []
        var offset = 8
        while offset + 8 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            types.append(String(decoding: png[offset + 4..<offset + 8], as: UTF8.self))
            offset += 12 + length
        }
        return types
    }
}

/// Programs the tests use to make their files: ImageMagick, exiftool, the venv's Python (Pillow).
enum ExternalTool {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static var convert: String { FileManager.default.isExecutableFile(atPath: "/usr/bin/convert") ? "/usr/bin/convert" : "/usr/bin/env convert" }
    static let exiftool = "/usr/bin/exiftool"
    static var python: String { packageRoot + "/.venv/bin/python" }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Runs a program to the end; throws with its stderr when it fails.
    static func run(_ program: String, _ arguments: [String]) throws {
        let parts = program.split(separator: " ").map(String.init)
        let outcome = try ProcessRunner.run(parts[0], Array(parts.dropFirst()) + arguments)
        guard outcome.status == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed: \(outcome.stderr)")
        }
    }
}
