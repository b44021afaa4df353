// ImageFormat: what a file is, told from its first bytes (never from its name alone), and which
// file names count as images when a directory is walked.

/// The container formats img-resize recognises.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, gif, bmp, tiff

    /// The formats this library decodes; the others are recognised and refused.
    public var isDecodable: Bool {
        switch self {
        case .jpeg, .png, .webp: return true
        case .gif, .bmp, .tiff: return false
        }
    }

    /// Recognises a file from its magic bytes; nil when none matches.
    public static func sniff(_ data: UnsafeRawBufferPointer) -> ImageFormat? {
        func starts(with bytes: [UInt8], at offset: Int = 0) -> Bool {
            guard data.count >= offset + bytes.count else { return false }
            for (index, byte) in bytes.enumerated() where data[offset + index] != byte { return false }
            return true
        }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: Array("RIFF".utf8)), starts(with: Array("WEBP".utf8), at: 8) { return .webp }
        if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) { return .gif }
        if starts(with: Array("BM".utf8)) { return .bmp }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        return nil
    }

    /// The format a file name's extension promises (any case), or nil for other files.
    public static func fromExtension(of path: String) -> ImageFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg", "jpe", "jfif": return .jpeg
        case "png": return .png
        case "webp": return .webp
        case "gif": return .gif
        case "bmp": return .bmp
        case "tif", "tiff": return .tiff
        default: return nil
        }
    }
}
