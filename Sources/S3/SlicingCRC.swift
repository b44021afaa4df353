// SlicingCRC: the reflected CRCs S3 stores as object checksums (CRC32, CRC32C, CRC64-NVME),
// eight bytes per step with slicing-by-8 tables. One generic body serves both widths: a
// 32-bit state XORed into the low half of a 64-bit load is the textbook slicing-by-8 step.

/// A reflected CRC with initial value and final XOR of all ones (as CRC32, CRC32C and
/// CRC64-NVME define them).
public struct SlicingCRC<Word: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// tables[k][b]: the CRC of byte b followed by k zero bytes.
    private let tables: [Word]

    /// - Parameter polynomial: the reversed (reflected) polynomial.
    public init(reflectedPolynomial polynomial: Word) {
        var tables = [Word](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = Word(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(truncatingIfNeeded: previous & 0xFF)]
            }
        }
        self.tables = tables
    }

    /// The state before any byte.
    public var initial: Word { ~0 }

    /// The state after `bytes`.
    public func update(_ state: Word, _ bytes: UnsafeRawBufferPointer) -> Word {
        guard var p = bytes.baseAddress else { return state }
        var crc = state
        var count = bytes.count
        tables.withUnsafeBufferPointer { t in
            let t = t.baseAddress!
            while count >= 8 {
                let v = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(truncatingIfNeeded: crc)
                var next = t[7 * 256 + Int(v & 0xFF)] ^ t[6 * 256 + Int((v >> 8) & 0xFF)]
                next ^= t[5 * 256 + Int((v >> 16) & 0xFF)] ^ t[4 * 256 + Int((v >> 24) & 0xFF)]
                next ^= t[3 * 256 + Int((v >> 32) & 0xFF)] ^ t[2 * 256 + Int((v >> 40) & 0xFF)]
                next ^= t[1 * 256 + Int((v >> 48) & 0xFF)] ^ t[Int(v >> 56)]
                // The whole state went into `v` (Word is at most 64 bits): the tables carry it on.
                crc = next
                p += 8
                count -= 8
            }
            while count > 0 {
                let byte = p.load(as: UInt8.self)
                crc = (crc >> 8) ^ t[Int(truncatingIfNeeded: (crc ^ Word(byte)) & 0xFF)]
                p += 1
                count -= 1
            }
        }
        return crc
    }

    /// The checksum of a state (the final XOR).
    public func finish(_ state: Word) -> Word { ~state }

    /// The checksum of `bytes` at once.
    public func checksum(_ bytes: UnsafeRawBufferPointer) -> Word { finish(update(initial, bytes)) }
    public func checksum(_ bytes: [UInt8]) -> Word { bytes.withUnsafeBytes { checksum($0) } }
}

/// The three CRCs S3 offers, built once.
public enum CRC {
    /// CRC-32 (ISO-HDLC, zlib's): `x-amz-checksum-crc32`.
    public static let crc32 = SlicingCRC<UInt32>(reflectedPolynomial: 0xEDB8_8320)
    /// CRC-32C (Castagnoli, iSCSI): `x-amz-checksum-crc32c`.
    public static let crc32c = SlicingCRC<UInt32>(reflectedPolynomial: 0x82F6_3B78)
    /// CRC-64/NVME: `x-amz-checksum-crc64nvme`, S3's default since 2025.
    public static let crc64nvme = SlicingCRC<UInt64>(reflectedPolynomial: 0x9A6C_9329_AC4B_C9B5)
}
