// Base64: the encoding S3 uses for checksum headers (RFC 4648, with padding).

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let a = UInt32(bytes[i])
            let b = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let c = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let triple = a << 16 | b << 8 | c
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of base64 text; nil when it is not valid base64.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var values: [UInt8] = []
        var padding = 0
        for (i, c) in text.enumerated() {
            if c == UInt8(ascii: "=") {
                guard i >= text.count - 2 else { return nil }
                padding += 1
                values.append(0)
                continue
            }
            guard padding == 0, let index = alphabet.firstIndex(of: c) else { return nil }
            values.append(UInt8(index))
        }
        var out: [UInt8] = []
        for group in stride(from: 0, to: values.count, by: 4) {
            let triple = UInt32(values[group]) << 18 | UInt32(values[group + 1]) << 12 | UInt32(values[group + 2]) << 6 | UInt32(values[group + 3])
            out += [UInt8(triple >> 16 & 255), UInt8(triple >> 8 & 255), UInt8(triple & 255)]
        }
        return Array(out.dropLast(padding))
    }
}
