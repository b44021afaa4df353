// Thumbnail: the HTML report's small JPEGs — decode with Imaging, shrink by area averaging,
// encode. The one place that resamples in Charts: switch it to Imaging's resampler when that
// lands, and nothing else changes.
import Imaging

public enum Thumbnail {
    /// Images with more pixels than this are not decoded for a thumbnail.
    public static let maximumPixels = 100_000_000

    /// A JPEG whose long side is at most `longSide`, from JPEG or PNG bytes.
    public static func jpeg(from data: [UInt8], longSide: Int = 256, quality: Int = 82) throws(ImagingError) -> [UInt8] {
        try JPEGCodec.encode(downscale(decode(data), longSide: longSide), quality: quality)
    }

    static func decode(_ data: [UInt8]) throws(ImagingError) -> PixelBuffer {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            let header = try JPEGCodec.readHeader(data)
            guard header.width * header.height <= maximumPixels else {
                throw ImagingError(.tooLarge, "JPEG is \(header.width)×\(header.height)")
            }
            return try JPEGCodec.decodeRGB(data)
        }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            return try PNGCodec.decodeRGB(data, maximumPixels: maximumPixels)
        }
        throw ImagingError(.unsupportedFormat, "not a JPEG or PNG file")
    }

    /// Shrinks so the long side is at most `longSide`; each output pixel is the mean of the
    /// source pixels its area covers. Smaller images are returned unchanged.
    static func downscale(_ image: PixelBuffer, longSide: Int) -> PixelBuffer {
        let longest = max(image.width, image.height)
        guard longest > longSide else { return image }
        let width = max(1, image.width * longSide / longest)
        let height = max(1, image.height * longSide / longest)
        let channels = image.channels
        var output = PixelBuffer(width: width, height: height, channels: channels)
        var sums = [Int](repeating: 0, count: channels)
        for y in 0..<height {
            let y0 = y * image.height / height, y1 = max(y0 + 1, (y + 1) * image.height / height)
            for x in 0..<width {
                let x0 = x * image.width / width, x1 = max(x0 + 1, (x + 1) * image.width / width)
                for c in 0..<channels { sums[c] = 0 }
                for sourceY in y0..<y1 {
                    var offset = (sourceY * image.width + x0) * channels
                    for _ in x0..<x1 {
                        for c in 0..<channels { sums[c] += Int(image.pixels[offset + c]) }
                        offset += channels
                    }
                }
                let count = (y1 - y0) * (x1 - x0)
                let target = (y * width + x) * channels
                for c in 0..<channels { output.pixels[target + c] = UInt8((sums[c] + count / 2) / count) }
            }
        }
        return output
    }
}
