// NumpyHeader: the header of a `.npy` file (NumPy's format, version 1.0–3.0) for a 2-D float32
// array, so `numpy.load(PATH, mmap_mode="r")` reads our vectors files and we read theirs. We
// write a fixed 128-byte header with room for any row count, so the shape can be rewritten in
// place as rows are appended.

struct NumpyHeader: Equatable {
    var rows: Int
    var dimensions: Int
    /// Bytes before the first row (magic, version, length and the padded text).
    var dataOffset: Int

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// Our header's total size: a multiple of 64 as NumPy asks, and long enough for any shape.
    static let writtenSize = 128

    /// The 128 bytes of a version 1.0 header for `rows` × `dimensions` little-endian float32.
    static func bytes(rows: Int, dimensions: Int) -> [UInt8] {
        var text = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(dimensions)), }"
        let textSize = writtenSize - 10
        text += String(repeating: " ", count: max(0, textSize - 1 - text.utf8.count)) + "\n"
        precondition(text.utf8.count == textSize, "shape too long for the header")
        return magic + [1, 0, UInt8(textSize & 0xff), UInt8(textSize >> 8)] + Array(text.utf8)
    }

    /// Parses the header at the start of `prefix` (at least its first `dataOffset` bytes); nil
    /// with the reason when it is not a 2-D little-endian float32 C-order array.
    static func parse(_ prefix: [UInt8]) -> Result<NumpyHeader, HeaderProblem> {
        guard prefix.count >= 10, Array(prefix[0..<6]) == magic else { return .failure(.notNumpy) }
        let major = prefix[6]
        let textStart: Int, textSize: Int
        switch major {
        case 1:
            textStart = 10
            textSize = Int(prefix[8]) | Int(prefix[9]) << 8
        case 2, 3:
            guard prefix.count >= 12 else { return .failure(.notNumpy) }
            textStart = 12
            textSize = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
        default:
            return .failure(.unsupported("format version \(major)"))
        }
        guard prefix.count >= textStart + textSize else { return .failure(.truncated(textStart + textSize)) }
        let text = String(decoding: prefix[textStart..<(textStart + textSize)], as: UTF8.self)
        guard let descr = value(of: "descr", in: text), descr == "'<f4'" else {
            return .failure(.unsupported("dtype \(value(of: "descr", in: text) ?? "?") (float32 '<f4' is needed)"))
        }
        guard value(of: "fortran_order", in: text) == "False" else { return .failure(.unsupported("Fortran order")) }
        guard let shape = value(of: "shape", in: text) else { return .failure(.notNumpy) }
        let numbers = shape.split(whereSeparator: { "(), ".contains($0) }).map { Int($0) }
        guard numbers.count == 2, let rows = numbers[0], let dimensions = numbers[1], rows >= 0, dimensions > 0 else {
            return .failure(.unsupported("shape \(shape) (two dimensions are needed)"))
        }
        return .success(NumpyHeader(rows: rows, dimensions: dimensions, dataOffset: textStart + textSize))
    }

    /// The text after `'key':` up to the next top-level comma or closing brace.
    private static func value(of key: String, in text: String) -> String? {
        guard let range = text.firstRange(of: "'\(key)':") else { return nil }
        var depth = 0
        var result = ""
        for character in text[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 && (character == "," || character == "}") { break }
            result.append(character)
        }
        return result.trimmingSpaces()
    }

    enum HeaderProblem: Error, Equatable {
        case notNumpy
        case truncated(Int)
        case unsupported(String)

        var text: String {
            switch self {
            case .notNumpy: "not a NumPy .npy file"
            case .truncated(let size): "header cut short (needs \(size) bytes)"
            case .unsupported(let what): "unsupported \(what)"
            }
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
