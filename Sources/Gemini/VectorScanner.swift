// VectorScanner: the vectors of a batchEmbedContents answer read straight from its bytes. An
// answer holds up to 100 × 3072 numbers, and making a JSONValue of each first was most of the
// client's work; this reads exactly `{"embeddings": [{"values": [numbers]}, …]}` (with the
// project emulator's `"emulator": true` after them) and gives nil for anything else, which the
// caller then reads with JSONParser.

enum VectorScanner {
    /// The `values` arrays in order and whether the emulator answered, or nil when the answer
    /// has any other shape.
    static func vectors(in bytes: [UInt8]) -> (vectors: [[Float]], emulated: Bool)? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            return reader.answer()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func answer() -> (vectors: [[Float]], emulated: Bool)? {
            guard take("{"), take(key: "embeddings"), take("[") else { return nil }
            var vectors: [[Float]] = []
            if take("]") { return finish(vectors) }
            repeat {
                guard take("{"), take(key: "values"), let vector = numbers(), take("}") else { return nil }
                vectors.append(vector)
            } while take(",")
            guard take("]") else { return nil }
            return finish(vectors)
        }

        private mutating func finish(_ vectors: [[Float]]) -> (vectors: [[Float]], emulated: Bool)? {
            var emulated = false
            if take(",") {
                guard take(key: "emulator"), take(word: "true") else { return nil }
                emulated = true
            }
            guard take("}") else { return nil }
            skipSpace()
            return at == bytes.count ? (vectors, emulated) : nil
        }

        /// `[n, n, …]`
        private mutating func numbers() -> [Float]? {
            guard take("[") else { return nil }
            var values: [Float] = []
            values.reserveCapacity(3072)
            if take("]") { return values }
            repeat {
                skipSpace()
                guard let value = number() else { return nil }
                values.append(value)
            } while take(",")
            return take("]") ? values : nil
        }

        /// A JSON number. Up to 19 significant digits are kept, then scaled by an exact power
        /// of ten (exactly rounded for the 9–17 digits an answer carries).
        private mutating func number() -> Float? {
            let negative = peek == UInt8(ascii: "-")
            if negative { at += 1 }
            var mantissa: UInt64 = 0
            var digits = 0
            var exponent = 0
            var sawDigit = false
            while let byte = peek, byte >= 48, byte <= 57 {
                sawDigit = true
                if digits < 19 { mantissa = mantissa * 10 + UInt64(byte - 48); if mantissa > 0 { digits += 1 } } else { exponent += 1 }
                at += 1
            }
            guard sawDigit else { return nil }  // JSON has no ".5"
            if peek == UInt8(ascii: ".") {
                at += 1
                guard let byte = peek, byte >= 48, byte <= 57 else { return nil }  // nor "5."
                while let byte = peek, byte >= 48, byte <= 57 {
                    if digits < 19 { mantissa = mantissa * 10 + UInt64(byte - 48); exponent -= 1; if mantissa > 0 { digits += 1 } }
                    at += 1
                }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                at += 1
                var negativeExponent = false
                if peek == UInt8(ascii: "-") || peek == UInt8(ascii: "+") {
                    negativeExponent = peek == UInt8(ascii: "-")
                    at += 1
                }
                var value = 0
                var sawExponentDigit = false
                while let byte = peek, byte >= 48, byte <= 57 {
                    sawExponentDigit = true
                    value = min(value * 10 + Int(byte - 48), 10_000)
                    at += 1
                }
                guard sawExponentDigit else { return nil }
                exponent += negativeExponent ? -value : value
            }
            var result = Double(mantissa)
            var scale = exponent
            while scale > 22 { result *= 1e22; scale -= 22 }
            while scale < -22 { result /= 1e22; scale += 22 }
            result = scale >= 0 ? result * Self.powersOfTen[scale] : result / Self.powersOfTen[-scale]
            let float = Float(negative ? -result : result)
            return float.isFinite ? float : nil
        }

        private static let powersOfTen: [Double] = (0...22).map { power in
            var value = 1.0
            for _ in 0..<power { value *= 10 }
            return value
        }

        private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        private mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { at += 1 }
        }

        /// Skips spaces, then takes `character` when it comes next.
        private mutating func take(_ character: Unicode.Scalar) -> Bool {
            skipSpace()
            guard peek == UInt8(ascii: character) else { return false }
            at += 1
            return true
        }

        /// `"name":`
        private mutating func take(key: StaticString) -> Bool {
            take("\"") && takeExactly(key) && take("\"") && take(":")
        }

        /// Skips spaces, then takes `word` (`true`) when it comes next.
        private mutating func take(word: StaticString) -> Bool {
            skipSpace()
            return takeExactly(word)
        }

        private mutating func takeExactly(_ text: StaticString) -> Bool {
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard at + expected.count <= bytes.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[at + offset] != byte { return false }
            at += expected.count
            return true
        }
    }
}
