// Thumbnail: the HTML report's small JPEGs, made by the Imaging pipeline img-resize uses
// (DCT-scaled decode, Lanczos, EXIF orientation, CMYK, alpha, WebP).
import Imaging

public enum Thumbnail {
    /// Images with more pixels than this are not decoded for a thumbnail.
    public static let maximumPixels = 100_000_000

    /// A JPEG whose long side is at most `longSide`, from JPEG, PNG or WebP bytes.
    public static func jpeg(from data: [UInt8], longSide: Int = 256, quality: Int = 82) throws(ImagingError) -> [UInt8] {
        var options = ResizeOptions()
        options.maximumSize = longSide
        options.quality = quality
        options.maximumPixels = maximumPixels
        return try ImageResizer.resize(data, options: options).encoded
    }
}
