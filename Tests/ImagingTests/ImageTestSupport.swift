// Helpers for the Imaging tests: the committed fixtures (Fixtures/make-fixtures.sh made them
// from real photographs), pixel comparisons, and seeded random bytes.
import Foundation
@testable import Imaging
import Records

enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func bytes(_ name: String) throws -> [UInt8] {
        try ImageFile.read(directory + "/" + name)
    }

    /// The image shrunk with `configure` applied to default options, decoded again.
    static func resized(_ name: String, _ configure: (inout ResizeOptions) -> Void = { _ in }) throws -> PixelBuffer {
        var options = ResizeOptions()
        configure(&options)
        return try decode(try ImageResizer.resize(try bytes(name), options: options).encoded)
    }

    /// Decodes an encoded result (JPEG or PNG) to RGB.
    static func decode(_ encoded: [UInt8]) throws -> PixelBuffer {
        encoded.starts(with: [0x89, 0x50]) ? try PNGCodec.decodeRGB(encoded) : try JPEGCodec.decodeRGB(encoded)
    }
}

enum Compare {
    /// Mean absolute channel difference over a region (the whole image by default).
    static func meanDifference(_ a: PixelBuffer, _ b: PixelBuffer, x: Range<Int>? = nil, y: Range<Int>? = nil) -> Double {
        precondition(a.width == b.width && a.height == b.height && a.channels == b.channels, "sizes differ")
        let xs = x ?? 0..<a.width, ys = y ?? 0..<a.height
        var total = 0, count = 0
        for row in ys {
            for column in xs {
                for channel in 0..<a.channels {
                    let index = (row * a.width + column) * a.channels + channel
                    total += abs(Int(a.pixels[index]) - Int(b.pixels[index]))
                    count += 1
                }
            }
        }
        return Double(total) / Double(max(count, 1))
    }

    /// Peak signal-to-noise ratio in dB over all channels.
    static func psnr(_ a: PixelBuffer, _ b: PixelBuffer) -> Double {
        precondition(a.pixels.count == b.pixels.count, "sizes differ")
        var squared = 0.0
        for (p, q) in zip(a.pixels, b.pixels) {
            let d = Double(Int(p) - Int(q))
            squared += d * d
        }
        let mse = squared / Double(a.pixels.count)
        return mse == 0 ? 99 : 10 * log10(255 * 255 / mse)
    }
}

/// Reproducible random bytes for the garbage-input tests.
typealias SeededBytes = SplitMix64

extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

extension ImagingError.Code {
    /// The code an error thrown by `body` carries, or nil when nothing was thrown.
    static func of(_ body: () throws -> Void) -> ImagingError.Code? {
        do { try body() } catch let error as ImagingError { return error.code } catch { return nil }
        return nil
    }
}
