// MD5Lanes: MD5 (RFC 1321) of sixteen independent messages at once, one per lane of a
// SIMD16<UInt32>. Everything is inlinable: the kernel modules MD5LanesAVX2 and MD5LanesAVX512
// compile this same code for their instruction sets (the code compiled here, for the baseline
// CPU, is the fallback). The types are concrete on purpose: generic SIMD arithmetic in Swift
// compiles to one lane at a time.

public enum MD5x16 {
    public typealias Word = SIMD16<UInt32>
    public static let lanes = 16

    /// Hashes `count` blocks of every lane: lane i reads its first block at `pointers[i]` and
    /// each next one `strides[i]` bytes further (0 for an idle lane). `state` holds A of the 16
    /// lanes, then B, C and D, and is updated in place.
    @inlinable @inline(__always)
    public static func compressBlocks(state: UnsafeMutableRawPointer, pointers: UnsafePointer<UnsafeRawPointer>,
                                      strides: UnsafePointer<Int>, count: Int) {
        var a = state.load(as: Word.self), b = state.load(fromByteOffset: 64, as: Word.self)
        var c = state.load(fromByteOffset: 128, as: Word.self), d = state.load(fromByteOffset: 192, as: Word.self)
        withUnsafeTemporaryAllocation(of: UnsafeRawPointer.self, capacity: 16) { blocks in
            for lane in 0..<16 { blocks[lane] = pointers[lane] }
            for _ in 0..<count {
                // Each lane's block is loaded whole and the 16x16 words transposed with
                // shuffles (16 loads a block, not 256): afterwards r.i is word i of every lane.
                var r = (
                blocks[0].loadUnaligned(as: Word.self),
                blocks[1].loadUnaligned(as: Word.self),
                blocks[2].loadUnaligned(as: Word.self),
                blocks[3].loadUnaligned(as: Word.self),
                blocks[4].loadUnaligned(as: Word.self),
                blocks[5].loadUnaligned(as: Word.self),
                blocks[6].loadUnaligned(as: Word.self),
                blocks[7].loadUnaligned(as: Word.self),
                blocks[8].loadUnaligned(as: Word.self),
                blocks[9].loadUnaligned(as: Word.self),
                blocks[10].loadUnaligned(as: Word.self),
                blocks[11].loadUnaligned(as: Word.self),
                blocks[12].loadUnaligned(as: Word.self),
                blocks[13].loadUnaligned(as: Word.self),
                blocks[14].loadUnaligned(as: Word.self),
                blocks[15].loadUnaligned(as: Word.self),
                )
                transpose(&r)
                compress(&a, &b, &c, &d, r)
                for lane in 0..<16 { blocks[lane] += strides[lane] }
            }
        }
        state.storeBytes(of: a, as: Word.self)
        state.storeBytes(of: b, toByteOffset: 64, as: Word.self)
        state.storeBytes(of: c, toByteOffset: 128, as: Word.self)
        state.storeBytes(of: d, toByteOffset: 192, as: Word.self)
    }

    public typealias Block = (Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word, Word)

    /// The 64 steps on one block of every lane.
    @inlinable @inline(__always)
    static func compress(_ a0: inout Word, _ b0: inout Word, _ c0: inout Word, _ d0: inout Word, _ block: Block) {
        let (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) = block
        var (a, b, c, d) = (a0, b0, c0, d0)
        a = step(0, a, b, c, d, m0, 0xd76aa478, 7)
        d = step(0, d, a, b, c, m1, 0xe8c7b756, 12)
        c = step(0, c, d, a, b, m2, 0x242070db, 17)
        b = step(0, b, c, d, a, m3, 0xc1bdceee, 22)
        a = step(0, a, b, c, d, m4, 0xf57c0faf, 7)
        d = step(0, d, a, b, c, m5, 0x4787c62a, 12)
        c = step(0, c, d, a, b, m6, 0xa8304613, 17)
        b = step(0, b, c, d, a, m7, 0xfd469501, 22)
        a = step(0, a, b, c, d, m8, 0x698098d8, 7)
        d = step(0, d, a, b, c, m9, 0x8b44f7af, 12)
        c = step(0, c, d, a, b, m10, 0xffff5bb1, 17)
        b = step(0, b, c, d, a, m11, 0x895cd7be, 22)
        a = step(0, a, b, c, d, m12, 0x6b901122, 7)
        d = step(0, d, a, b, c, m13, 0xfd987193, 12)
        c = step(0, c, d, a, b, m14, 0xa679438e, 17)
        b = step(0, b, c, d, a, m15, 0x49b40821, 22)
        a = step(1, a, b, c, d, m1, 0xf61e2562, 5)
        d = step(1, d, a, b, c, m6, 0xc040b340, 9)
        c = step(1, c, d, a, b, m11, 0x265e5a51, 14)
        b = step(1, b, c, d, a, m0, 0xe9b6c7aa, 20)
        a = step(1, a, b, c, d, m5, 0xd62f105d, 5)
        d = step(1, d, a, b, c, m10, 0x02441453, 9)
        c = step(1, c, d, a, b, m15, 0xd8a1e681, 14)
        b = step(1, b, c, d, a, m4, 0xe7d3fbc8, 20)
        a = step(1, a, b, c, d, m9, 0x21e1cde6, 5)
        d = step(1, d, a, b, c, m14, 0xc33707d6, 9)
        c = step(1, c, d, a, b, m3, 0xf4d50d87, 14)
        b = step(1, b, c, d, a, m8, 0x455a14ed, 20)
        a = step(1, a, b, c, d, m13, 0xa9e3e905, 5)
        d = step(1, d, a, b, c, m2, 0xfcefa3f8, 9)
        c = step(1, c, d, a, b, m7, 0x676f02d9, 14)
        b = step(1, b, c, d, a, m12, 0x8d2a4c8a, 20)
        a = step(2, a, b, c, d, m5, 0xfffa3942, 4)
        d = step(2, d, a, b, c, m8, 0x8771f681, 11)
        c = step(2, c, d, a, b, m11, 0x6d9d6122, 16)
        b = step(2, b, c, d, a, m14, 0xfde5380c, 23)
        a = step(2, a, b, c, d, m1, 0xa4beea44, 4)
        d = step(2, d, a, b, c, m4, 0x4bdecfa9, 11)
        c = step(2, c, d, a, b, m7, 0xf6bb4b60, 16)
        b = step(2, b, c, d, a, m10, 0xbebfbc70, 23)
        a = step(2, a, b, c, d, m13, 0x289b7ec6, 4)
        d = step(2, d, a, b, c, m0, 0xeaa127fa, 11)
        c = step(2, c, d, a, b, m3, 0xd4ef3085, 16)
        b = step(2, b, c, d, a, m6, 0x04881d05, 23)
        a = step(2, a, b, c, d, m9, 0xd9d4d039, 4)
        d = step(2, d, a, b, c, m12, 0xe6db99e5, 11)
        c = step(2, c, d, a, b, m15, 0x1fa27cf8, 16)
        b = step(2, b, c, d, a, m2, 0xc4ac5665, 23)
        a = step(3, a, b, c, d, m0, 0xf4292244, 6)
        d = step(3, d, a, b, c, m7, 0x432aff97, 10)
        c = step(3, c, d, a, b, m14, 0xab9423a7, 15)
        b = step(3, b, c, d, a, m5, 0xfc93a039, 21)
        a = step(3, a, b, c, d, m12, 0x655b59c3, 6)
        d = step(3, d, a, b, c, m3, 0x8f0ccc92, 10)
        c = step(3, c, d, a, b, m10, 0xffeff47d, 15)
        b = step(3, b, c, d, a, m1, 0x85845dd1, 21)
        a = step(3, a, b, c, d, m8, 0x6fa87e4f, 6)
        d = step(3, d, a, b, c, m15, 0xfe2ce6e0, 10)
        c = step(3, c, d, a, b, m6, 0xa3014314, 15)
        b = step(3, b, c, d, a, m13, 0x4e0811a1, 21)
        a = step(3, a, b, c, d, m4, 0xf7537e82, 6)
        d = step(3, d, a, b, c, m11, 0xbd3af235, 10)
        c = step(3, c, d, a, b, m2, 0x2ad7d2bb, 15)
        b = step(3, b, c, d, a, m9, 0xeb86d391, 21)
        a0 &+= a
        b0 &+= b
        c0 &+= c
        d0 &+= d
    }

    /// `x + ((f + target + k + m) <<< s)`, f being the round function of x, y, z.
    @inlinable @inline(__always)
    static func step(_ round: Int, _ target: Word, _ x: Word, _ y: Word, _ z: Word, _ m: Word, _ k: UInt32, _ s: UInt32) -> Word {
        let f: Word
        switch round {
        case 0: f = (x & y) | (~x & z)
        case 1: f = (x & z) | (y & ~z)
        case 2: f = x ^ y ^ z
        default: f = y ^ (x | ~z)
        }
        let sum = f &+ target &+ Word(repeating: k) &+ m
        return x &+ ((sum &<< Word(repeating: s)) | (sum &>> Word(repeating: 32 - s)))
    }

    @inlinable @inline(__always)
    static func transpose(_ r: inout Block) {
        swap8(&r.0, &r.8); swap8(&r.1, &r.9); swap8(&r.2, &r.10); swap8(&r.3, &r.11); swap8(&r.4, &r.12); swap8(&r.5, &r.13); swap8(&r.6, &r.14); swap8(&r.7, &r.15)
        swap4(&r.0, &r.4); swap4(&r.1, &r.5); swap4(&r.2, &r.6); swap4(&r.3, &r.7); swap4(&r.8, &r.12); swap4(&r.9, &r.13); swap4(&r.10, &r.14); swap4(&r.11, &r.15)
        swap2(&r.0, &r.2); swap2(&r.1, &r.3); swap2(&r.4, &r.6); swap2(&r.5, &r.7); swap2(&r.8, &r.10); swap2(&r.9, &r.11); swap2(&r.12, &r.14); swap2(&r.13, &r.15)
        swap1(&r.0, &r.1); swap1(&r.2, &r.3); swap1(&r.4, &r.5); swap1(&r.6, &r.7); swap1(&r.8, &r.9); swap1(&r.10, &r.11); swap1(&r.12, &r.13); swap1(&r.14, &r.15)
    }

    /// Rows x and y swap their off-diagonal 8-word blocks: one stage of the transpose.
    @inlinable @inline(__always)
    static func swap8(_ x: inout Word, _ y: inout Word) {
        (x, y) = (Word(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]),
                  Word(x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15], y[8], y[9], y[10], y[11], y[12], y[13], y[14], y[15]))
    }

    /// Rows x and y swap their off-diagonal 4-word blocks: one stage of the transpose.
    @inlinable @inline(__always)
    static func swap4(_ x: inout Word, _ y: inout Word) {
        (x, y) = (Word(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], x[8], x[9], x[10], x[11], y[8], y[9], y[10], y[11]),
                  Word(x[4], x[5], x[6], x[7], y[4], y[5], y[6], y[7], x[12], x[13], x[14], x[15], y[12], y[13], y[14], y[15]))
    }

    /// Rows x and y swap their off-diagonal 2-word blocks: one stage of the transpose.
    @inlinable @inline(__always)
    static func swap2(_ x: inout Word, _ y: inout Word) {
        (x, y) = (Word(x[0], x[1], y[0], y[1], x[4], x[5], y[4], y[5], x[8], x[9], y[8], y[9], x[12], x[13], y[12], y[13]),
                  Word(x[2], x[3], y[2], y[3], x[6], x[7], y[6], y[7], x[10], x[11], y[10], y[11], x[14], x[15], y[14], y[15]))
    }

    /// Rows x and y swap their off-diagonal 1-word blocks: one stage of the transpose.
    @inlinable @inline(__always)
    static func swap1(_ x: inout Word, _ y: inout Word) {
        (x, y) = (Word(x[0], y[0], x[2], y[2], x[4], y[4], x[6], y[6], x[8], y[8], x[10], y[10], x[12], y[12], x[14], y[14]),
                  Word(x[1], y[1], x[3], y[3], x[5], y[5], x[7], y[7], x[9], y[9], x[11], y[11], x[13], y[13], x[15], y[15]))
    }
}
