// SlicingCRC: the reflected CRCs S3 stores as object checksums (CRC32, CRC32C, CRC64-NVME).
// Long inputs are folded 16 bytes a step with carry-less multiplication where the CPU has
// PCLMULQDQ (CCRCFold; about 3.4× the tables here); the rest goes through slicing-by-16
// tables. One generic body serves both widths: a 32-bit state XORed into the low half of the
// first 64-bit load is the textbook slicing step, and into the first bytes the folding step.
// CRC32C takes the SSE4.2 instruction instead where the CPU has it.
#if arch(x86_64)
import CCRCFold
import CRC32CSSE42
#endif
import ParallelMD5

/// A reflected CRC with initial value and final XOR of all ones (as CRC32, CRC32C and
/// CRC64-NVME define them).
public struct SlicingCRC<Word: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// tables[k * 256 + b]: the CRC of byte b followed by k zero bytes (k < 16).
    private let tables: [Word]
    /// x^(128+W-1) and x^(64+W-1) mod P, bit-reflected: fold a block's low and high halves
    /// 128 bits forward.
    let foldLow: UInt64, foldHigh: UInt64

    /// - Parameter polynomial: the reversed (reflected) polynomial.
    public init(reflectedPolynomial polynomial: Word) {
        var tables = [Word](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = Word(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for k in 1..<16 {
            for byte in 0..<256 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(truncatingIfNeeded: previous & 0xFF)]
            }
        }
        self.tables = tables
        foldLow = Self.reflectedPower(128 + Word.bitWidth - 1, polynomial)
        foldHigh = Self.reflectedPower(64 + Word.bitWidth - 1, polynomial)
    }

    /// x^e mod P in the reflected representation (x^0 is the top bit; times x is a right shift).
    static func reflectedPower(_ e: Int, _ polynomial: Word) -> UInt64 {
        var r: Word = 1 << (Word.bitWidth - 1)
        for _ in 0..<e { r = r & 1 == 1 ? (r >> 1) ^ polynomial : r >> 1 }
        return UInt64(r)
    }

    /// The state before any byte.
    public var initial: Word { ~0 }

    /// The state after `bytes`.
    public func update(_ state: Word, _ bytes: UnsafeRawBufferPointer) -> Word {
        #if arch(x86_64)
        if bytes.count >= 64, CRC.canFold {
            // Whole blocks fold into one block with the same remainder; its CRC from state 0,
            // then the tail, finish the job.
            let blocks = bytes.count / 16
            var folded: (UInt64, UInt64) = (0, 0)
            withUnsafeMutablePointer(to: &folded) {
                $0.withMemoryRebound(to: UInt64.self, capacity: 2) {
                    ccrc_fold16(UInt64(truncatingIfNeeded: state), bytes.baseAddress!, blocks, foldLow, foldHigh, $0)
                }
            }
            let remainder = withUnsafeBytes(of: &folded) { updateWithTables(0, $0) }
            return updateWithTables(remainder, UnsafeRawBufferPointer(rebasing: bytes[(blocks * 16)...]))
        }
        #endif
        return updateWithTables(state, bytes)
    }

    /// The state after `bytes`, with the tables alone.
    func updateWithTables(_ state: Word, _ bytes: UnsafeRawBufferPointer) -> Word {
        guard var p = bytes.baseAddress else { return state }
        var crc = state
        var count = bytes.count
        tables.withUnsafeBufferPointer { t in
            let t = t.baseAddress!
            while count >= 16 {
                let a = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(truncatingIfNeeded: crc)
                let b = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                var next = t[15 * 256 + Int(a & 0xFF)] ^ t[14 * 256 + Int((a >> 8) & 0xFF)]
                next ^= t[13 * 256 + Int((a >> 16) & 0xFF)] ^ t[12 * 256 + Int((a >> 24) & 0xFF)]
                next ^= t[11 * 256 + Int((a >> 32) & 0xFF)] ^ t[10 * 256 + Int((a >> 40) & 0xFF)]
                next ^= t[9 * 256 + Int((a >> 48) & 0xFF)] ^ t[8 * 256 + Int(a >> 56)]
                next ^= t[7 * 256 + Int(b & 0xFF)] ^ t[6 * 256 + Int((b >> 8) & 0xFF)]
                next ^= t[5 * 256 + Int((b >> 16) & 0xFF)] ^ t[4 * 256 + Int((b >> 24) & 0xFF)]
                next ^= t[3 * 256 + Int((b >> 32) & 0xFF)] ^ t[2 * 256 + Int((b >> 40) & 0xFF)]
                next ^= t[1 * 256 + Int((b >> 48) & 0xFF)] ^ t[Int(b >> 56)]
                // The whole state went into `a` (Word is at most 64 bits): the tables carry it on.
                crc = next
                p += 16
                count -= 16
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

    /// Whether this CPU has PCLMULQDQ for CCRCFold.
    static let canFold: Bool = {
        #if arch(x86_64)
        return CPUFeatures.has(["pclmulqdq", "sse2"])
        #else
        return false
        #endif
    }()

    /// Whether this CPU runs CRC32CSSE42 (about twice the tables here).
    static let hasCRC32CInstruction: Bool = {
        #if arch(x86_64)
        return CPUFeatures.has(CPUFeatures.nehalem)
        #else
        return false
        #endif
    }()

    /// CRC32C's next state, with the SSE4.2 instruction when the CPU has it.
    public static func updateCRC32C(_ state: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        #if arch(x86_64)
        if hasCRC32CInstruction { return CRC32CSSE42.update(state, bytes) }
        #endif
        return crc32c.update(state, bytes)
    }
    /// CRC-64/NVME: `x-amz-checksum-crc64nvme`, S3's default since 2025.
    public static let crc64nvme = SlicingCRC<UInt64>(reflectedPolynomial: 0x9A6C_9329_AC4B_C9B5)
}
