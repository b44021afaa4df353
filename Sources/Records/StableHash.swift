// StableHash: MurmurHash3 x64/128 of a string's UTF-8 bytes — the same value on every machine
// and run (Swift's own Hasher is seeded per process), for sharding and the resume index.

/// A 128-bit hash; collisions among a few million ids are practically impossible
/// (about 1 in 10^25), so the resume index can keep 16 bytes per id instead of the id itself.
public struct StableHash: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { StableHash(bytes: $0) }
    }

    public init(bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0) {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5
        let c2: UInt64 = 0x4cf5_ad43_2745_937f
        var h1 = seed
        var h2 = seed
        let count = bytes.count
        let blocks = count / 16
        let base = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        for i in 0..<blocks {
            var k1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self))
            var k2 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self))
            k1 &*= c1; k1 = k1.rotatedLeft(31); k1 &*= c2; h1 ^= k1
            h1 = h1.rotatedLeft(27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = k2.rotatedLeft(33); k2 &*= c1; h2 ^= k2
            h2 = h2.rotatedLeft(31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        var k1: UInt64 = 0
        var k2: UInt64 = 0
        let tail = blocks * 16
        let rest = count & 15
        if rest > 8 {
            for i in stride(from: rest - 1, through: 8, by: -1) { k2 ^= UInt64(bytes[tail + i]) << (UInt64(i - 8) * 8) }
            k2 &*= c2; k2 = k2.rotatedLeft(33); k2 &*= c1; h2 ^= k2
        }
        if rest > 0 {
            for i in stride(from: min(rest, 8) - 1, through: 0, by: -1) { k1 ^= UInt64(bytes[tail + i]) << (UInt64(i) * 8) }
            k1 &*= c1; k1 = k1.rotatedLeft(31); k1 &*= c2; h1 ^= k1
        }
        h1 ^= UInt64(count); h2 ^= UInt64(count)
        h1 &+= h2; h2 &+= h1
        h1 = Self.finalMix(h1); h2 = Self.finalMix(h2)
        h1 &+= h2; h2 &+= h1
        low = h1
        high = h2
    }

    /// Eight hex digits of the hash, for file names made unique by the text they stand for.
    public var shortHex: String {
        let text = String(low & 0xffff_ffff, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    private static func finalMix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33; k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33; k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}

extension UInt64 {
    @inline(__always) fileprivate func rotatedLeft(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
