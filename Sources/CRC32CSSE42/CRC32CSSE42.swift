// CRC32CSSE42: CRC32C with the SSE4.2 `crc32` instruction, eight bytes per instruction (this
// target is compiled for nehalem, see Package.swift). Callers check the CPU first: on one
// without SSE4.2 the instruction would crash the process. Same state convention as S3's
// SlicingCRC: the caller starts from all ones and inverts at the end.
#if arch(x86_64)
import _Builtin_intrinsics.intel

public enum CRC32CSSE42 {
    public static func update(_ state: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var p = bytes.baseAddress else { return state }
        var count = bytes.count
        var crc = UInt64(state)
        while count >= 8 {
            crc = _mm_crc32_u64(crc, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
            p += 8
            count -= 8
        }
        var tail = UInt32(truncatingIfNeeded: crc)
        while count > 0 {
            tail = _mm_crc32_u8(tail, p.load(as: UInt8.self))
            p += 1
            count -= 1
        }
        return tail
    }
}
#endif
