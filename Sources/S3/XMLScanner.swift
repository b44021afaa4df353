// XMLScanner: just enough XML for S3's answers (ListBucketResult, Error): finds elements by
// name and decodes their text. S3's answers are flat and attribute-free below the root, so a
// byte search is exact for them and far faster than a general parser.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records

/// Finds elements in an XML document held as bytes.
struct XMLScanner {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// An element name as the bytes of its opening and closing tags, made once for a name that
    /// is looked up in every entry of a listing.
    struct Tag: Sendable {
        let open: [UInt8]
        let close: [UInt8]
        init(_ name: String) {
            open = Array("<\(name)>".utf8)
            close = Array("</\(name)>".utf8)
        }
    }

    /// The content ranges of every `<name>…</name>` element inside `range`, in order.
    func elements(_ name: String, in range: Range<Int>? = nil) -> [Range<Int>] {
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        var found: [Range<Int>] = []
        var position = range?.lowerBound ?? 0
        let end = range?.upperBound ?? bytes.count
        while let start = find(open, from: position, to: end) {
            let contentStart = start + open.count
            guard let stop = find(close, from: contentStart, to: end) else { break }
            found.append(contentStart..<stop)
            position = stop + close.count
        }
        return found
    }

    /// The decoded text of the first `<name>` element inside `range`.
    func text(_ name: String, in range: Range<Int>? = nil) -> String? {
        text(Tag(name), in: range)
    }

    /// The decoded text of the first `tag` element inside `range`.
    func text(_ tag: Tag, in range: Range<Int>? = nil) -> String? {
        let end = range?.upperBound ?? bytes.count
        guard let start = find(tag.open, from: range?.lowerBound ?? 0, to: end),
              let stop = find(tag.close, from: start + tag.open.count, to: end) else { return nil }
        return Self.decodeEntities(bytes[(start + tag.open.count)..<stop])
    }

    private func find(_ needle: [UInt8], from start: Int, to end: Int) -> Int? {
        guard needle.count <= end - start else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            needle.withUnsafeBufferPointer { pattern -> Int? in
                let base = buffer.baseAddress!
                var position = start
                let lastStart = end - pattern.count
                while position <= lastStart {
                    guard let hit = memchr(base + position, Int32(pattern[0]), lastStart - position + 1) else { return nil }
                    let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, pattern.baseAddress!, pattern.count) == 0 { return offset }
                    position = offset + 1
                }
                return nil
            }
        }
    }

    /// Replaces `&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;`.
    static func decodeEntities(_ text: ArraySlice<UInt8>) -> String {
        guard text.contains(UInt8(ascii: "&")) else { return String(decoding: text, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let byte = text[i]
            guard byte == UInt8(ascii: "&"), let semicolon = text[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(byte)
                i += 1
                continue
            }
            let entity = String(decoding: text[(i + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            guard let scalar else {
                out.append(byte)
                i += 1
                continue
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
