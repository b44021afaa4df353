// ParallelMD5: MD5 of many independent inputs at once, four per SIMD register lane. One MD5 is
// a serial chain that no CPU speeds up, but s3fetch verifies dozens of objects at a time, and
// four chains side by side cost little more than one. (RFC 1321; the 64 steps are written out
// so they compile to straight-line vector code.) This target is compiled for AVX2 (haswell):
// callers check `isSupported` first and use a scalar MD5 otherwise.
#if canImport(Glibc)
import Glibc
#endif

/// Computes the MD5 digests of several inputs together.
public enum ParallelMD5 {
    typealias Word = SIMD4<UInt32>

    /// Whether this CPU has the instructions this module was compiled for (Linux /proc/cpuinfo).
    public static let isSupported: Bool = {
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(separator: " ").map { $0.trimmingSuffix() })
            return ["avx2", "bmi1", "bmi2", "fma", "movbe", "abm"].allSatisfy { flags.contains($0) }
        }
        return false
    }()

    /// The lowercase hex MD5 of each input, in order.
    public static func hexDigests(of inputs: [UnsafeRawBufferPointer]) -> [String] {
        var results = [String](repeating: "", count: inputs.count)
        // Per lane: the input index, the offset of its next whole block, and its padded tail
        // (one or two blocks) in `tails`.
        var index = [Int](repeating: -1, count: 4)
        var offset = [Int](repeating: 0, count: 4)
        var tailOffset = [Int](repeating: 0, count: 4)
        var tailCount = [Int](repeating: 0, count: 4)
        let tails = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 * 128 + 64, alignment: 16)
        defer { tails.deallocate() }
        tails.initializeMemory(as: UInt8.self, repeating: 0)
        let zero = UnsafeRawPointer(tails.baseAddress! + 4 * 128)
        var next = 0
        var state = State()
        var active = 0
        func load(_ lane: Int) {
            guard next < inputs.count else { index[lane] = -1; return }
            let input = inputs[next]
            index[lane] = next
            next += 1
            active += 1
            offset[lane] = 0
            tailOffset[lane] = 0
            let whole = input.count & ~63
            let tail = tails.baseAddress! + lane * 128
            let rest = input.count - whole
            if rest > 0 { tail.copyMemory(from: input.baseAddress! + whole, byteCount: rest) }
            tail.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            let count = rest < 56 ? 64 : 128
            for i in (rest + 1)..<(count - 8) { tail.storeBytes(of: 0, toByteOffset: i, as: UInt8.self) }
            tail.storeBytes(of: (UInt64(input.count) &* 8).littleEndian, toByteOffset: count - 8, as: UInt64.self)
            tailCount[lane] = count
            state.reset(lane: lane)
        }
        for lane in 0..<4 { load(lane) }
        while active > 0 {
            var blocks = (zero, zero, zero, zero)
            func block(_ lane: Int) -> UnsafeRawPointer {
                guard index[lane] >= 0 else { return zero }
                let input = inputs[index[lane]]
                if offset[lane] + 64 <= input.count { return input.baseAddress! + offset[lane] }
                return UnsafeRawPointer(tails.baseAddress! + lane * 128 + tailOffset[lane])
            }
            blocks = (block(0), block(1), block(2), block(3))
            state.process(blocks.0, blocks.1, blocks.2, blocks.3)
            for lane in 0..<4 where index[lane] >= 0 {
                if offset[lane] + 64 <= inputs[index[lane]].count {
                    offset[lane] += 64
                    continue
                }
                tailOffset[lane] += 64
                if tailOffset[lane] == tailCount[lane] {
                    results[index[lane]] = state.hex(lane: lane)
                    active -= 1
                    load(lane)
                }
            }
        }
        return results
    }

    /// A, B, C, D for four lanes.
    private struct State {
        var a = Word(repeating: 0x6745_2301), b = Word(repeating: 0xefcd_ab89)
        var c = Word(repeating: 0x98ba_dcfe), d = Word(repeating: 0x1032_5476)

        mutating func reset(lane: Int) {
            a[lane] = 0x6745_2301
            b[lane] = 0xefcd_ab89
            c[lane] = 0x98ba_dcfe
            d[lane] = 0x1032_5476
        }

        func hex(lane: Int) -> String {
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            for word in [a[lane], b[lane], c[lane], d[lane]] {
                for shift in stride(from: 0, to: 32, by: 8) {
                    let byte = UInt8(truncatingIfNeeded: word >> UInt32(shift))
                    text.append(digits[Int(byte >> 4)])
                    text.append(digits[Int(byte & 15)])
                }
            }
            return String(decoding: text, as: UTF8.self)
        }

        @inline(__always)
        func rotate(_ x: Word, _ s: UInt32) -> Word { (x &<< Word(repeating: s)) | (x &>> Word(repeating: 32 - s)) }

        @inline(__always)
        func word(_ i: Int, _ p0: UnsafeRawPointer, _ p1: UnsafeRawPointer, _ p2: UnsafeRawPointer, _ p3: UnsafeRawPointer) -> Word {
            Word(p0.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian,
                 p1.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian,
                 p2.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian,
                 p3.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian)
        }

        mutating func process(_ p0: UnsafeRawPointer, _ p1: UnsafeRawPointer, _ p2: UnsafeRawPointer, _ p3: UnsafeRawPointer) {
            let m0 = word(0, p0, p1, p2, p3)
            let m1 = word(1, p0, p1, p2, p3)
            let m2 = word(2, p0, p1, p2, p3)
            let m3 = word(3, p0, p1, p2, p3)
            let m4 = word(4, p0, p1, p2, p3)
            let m5 = word(5, p0, p1, p2, p3)
            let m6 = word(6, p0, p1, p2, p3)
            let m7 = word(7, p0, p1, p2, p3)
            let m8 = word(8, p0, p1, p2, p3)
            let m9 = word(9, p0, p1, p2, p3)
            let m10 = word(10, p0, p1, p2, p3)
            let m11 = word(11, p0, p1, p2, p3)
            let m12 = word(12, p0, p1, p2, p3)
            let m13 = word(13, p0, p1, p2, p3)
            let m14 = word(14, p0, p1, p2, p3)
            let m15 = word(15, p0, p1, p2, p3)
            var (a, b, c, d) = (self.a, self.b, self.c, self.d)
            a = b &+ rotate((b & c) | (~b & d) &+ a &+ Word(repeating: 0xd76aa478) &+ m0, 7)
            d = a &+ rotate((a & b) | (~a & c) &+ d &+ Word(repeating: 0xe8c7b756) &+ m1, 12)
            c = d &+ rotate((d & a) | (~d & b) &+ c &+ Word(repeating: 0x242070db) &+ m2, 17)
            b = c &+ rotate((c & d) | (~c & a) &+ b &+ Word(repeating: 0xc1bdceee) &+ m3, 22)
            a = b &+ rotate((b & c) | (~b & d) &+ a &+ Word(repeating: 0xf57c0faf) &+ m4, 7)
            d = a &+ rotate((a & b) | (~a & c) &+ d &+ Word(repeating: 0x4787c62a) &+ m5, 12)
            c = d &+ rotate((d & a) | (~d & b) &+ c &+ Word(repeating: 0xa8304613) &+ m6, 17)
            b = c &+ rotate((c & d) | (~c & a) &+ b &+ Word(repeating: 0xfd469501) &+ m7, 22)
            a = b &+ rotate((b & c) | (~b & d) &+ a &+ Word(repeating: 0x698098d8) &+ m8, 7)
            d = a &+ rotate((a & b) | (~a & c) &+ d &+ Word(repeating: 0x8b44f7af) &+ m9, 12)
            c = d &+ rotate((d & a) | (~d & b) &+ c &+ Word(repeating: 0xffff5bb1) &+ m10, 17)
            b = c &+ rotate((c & d) | (~c & a) &+ b &+ Word(repeating: 0x895cd7be) &+ m11, 22)
            a = b &+ rotate((b & c) | (~b & d) &+ a &+ Word(repeating: 0x6b901122) &+ m12, 7)
            d = a &+ rotate((a & b) | (~a & c) &+ d &+ Word(repeating: 0xfd987193) &+ m13, 12)
            c = d &+ rotate((d & a) | (~d & b) &+ c &+ Word(repeating: 0xa679438e) &+ m14, 17)
            b = c &+ rotate((c & d) | (~c & a) &+ b &+ Word(repeating: 0x49b40821) &+ m15, 22)
            a = b &+ rotate((d & b) | (~d & c) &+ a &+ Word(repeating: 0xf61e2562) &+ m1, 5)
            d = a &+ rotate((c & a) | (~c & b) &+ d &+ Word(repeating: 0xc040b340) &+ m6, 9)
            c = d &+ rotate((b & d) | (~b & a) &+ c &+ Word(repeating: 0x265e5a51) &+ m11, 14)
            b = c &+ rotate((a & c) | (~a & d) &+ b &+ Word(repeating: 0xe9b6c7aa) &+ m0, 20)
            a = b &+ rotate((d & b) | (~d & c) &+ a &+ Word(repeating: 0xd62f105d) &+ m5, 5)
            d = a &+ rotate((c & a) | (~c & b) &+ d &+ Word(repeating: 0x02441453) &+ m10, 9)
            c = d &+ rotate((b & d) | (~b & a) &+ c &+ Word(repeating: 0xd8a1e681) &+ m15, 14)
            b = c &+ rotate((a & c) | (~a & d) &+ b &+ Word(repeating: 0xe7d3fbc8) &+ m4, 20)
            a = b &+ rotate((d & b) | (~d & c) &+ a &+ Word(repeating: 0x21e1cde6) &+ m9, 5)
            d = a &+ rotate((c & a) | (~c & b) &+ d &+ Word(repeating: 0xc33707d6) &+ m14, 9)
            c = d &+ rotate((b & d) | (~b & a) &+ c &+ Word(repeating: 0xf4d50d87) &+ m3, 14)
            b = c &+ rotate((a & c) | (~a & d) &+ b &+ Word(repeating: 0x455a14ed) &+ m8, 20)
            a = b &+ rotate((d & b) | (~d & c) &+ a &+ Word(repeating: 0xa9e3e905) &+ m13, 5)
            d = a &+ rotate((c & a) | (~c & b) &+ d &+ Word(repeating: 0xfcefa3f8) &+ m2, 9)
            c = d &+ rotate((b & d) | (~b & a) &+ c &+ Word(repeating: 0x676f02d9) &+ m7, 14)
            b = c &+ rotate((a & c) | (~a & d) &+ b &+ Word(repeating: 0x8d2a4c8a) &+ m12, 20)
            a = b &+ rotate(b ^ c ^ d &+ a &+ Word(repeating: 0xfffa3942) &+ m5, 4)
            d = a &+ rotate(a ^ b ^ c &+ d &+ Word(repeating: 0x8771f681) &+ m8, 11)
            c = d &+ rotate(d ^ a ^ b &+ c &+ Word(repeating: 0x6d9d6122) &+ m11, 16)
            b = c &+ rotate(c ^ d ^ a &+ b &+ Word(repeating: 0xfde5380c) &+ m14, 23)
            a = b &+ rotate(b ^ c ^ d &+ a &+ Word(repeating: 0xa4beea44) &+ m1, 4)
            d = a &+ rotate(a ^ b ^ c &+ d &+ Word(repeating: 0x4bdecfa9) &+ m4, 11)
            c = d &+ rotate(d ^ a ^ b &+ c &+ Word(repeating: 0xf6bb4b60) &+ m7, 16)
            b = c &+ rotate(c ^ d ^ a &+ b &+ Word(repeating: 0xbebfbc70) &+ m10, 23)
            a = b &+ rotate(b ^ c ^ d &+ a &+ Word(repeating: 0x289b7ec6) &+ m13, 4)
            d = a &+ rotate(a ^ b ^ c &+ d &+ Word(repeating: 0xeaa127fa) &+ m0, 11)
            c = d &+ rotate(d ^ a ^ b &+ c &+ Word(repeating: 0xd4ef3085) &+ m3, 16)
            b = c &+ rotate(c ^ d ^ a &+ b &+ Word(repeating: 0x04881d05) &+ m6, 23)
            a = b &+ rotate(b ^ c ^ d &+ a &+ Word(repeating: 0xd9d4d039) &+ m9, 4)
            d = a &+ rotate(a ^ b ^ c &+ d &+ Word(repeating: 0xe6db99e5) &+ m12, 11)
            c = d &+ rotate(d ^ a ^ b &+ c &+ Word(repeating: 0x1fa27cf8) &+ m15, 16)
            b = c &+ rotate(c ^ d ^ a &+ b &+ Word(repeating: 0xc4ac5665) &+ m2, 23)
            a = b &+ rotate(c ^ (b | ~d) &+ a &+ Word(repeating: 0xf4292244) &+ m0, 6)
            d = a &+ rotate(b ^ (a | ~c) &+ d &+ Word(repeating: 0x432aff97) &+ m7, 10)
            c = d &+ rotate(a ^ (d | ~b) &+ c &+ Word(repeating: 0xab9423a7) &+ m14, 15)
            b = c &+ rotate(d ^ (c | ~a) &+ b &+ Word(repeating: 0xfc93a039) &+ m5, 21)
            a = b &+ rotate(c ^ (b | ~d) &+ a &+ Word(repeating: 0x655b59c3) &+ m12, 6)
            d = a &+ rotate(b ^ (a | ~c) &+ d &+ Word(repeating: 0x8f0ccc92) &+ m3, 10)
            c = d &+ rotate(a ^ (d | ~b) &+ c &+ Word(repeating: 0xffeff47d) &+ m10, 15)
            b = c &+ rotate(d ^ (c | ~a) &+ b &+ Word(repeating: 0x85845dd1) &+ m1, 21)
            a = b &+ rotate(c ^ (b | ~d) &+ a &+ Word(repeating: 0x6fa87e4f) &+ m8, 6)
            d = a &+ rotate(b ^ (a | ~c) &+ d &+ Word(repeating: 0xfe2ce6e0) &+ m15, 10)
            c = d &+ rotate(a ^ (d | ~b) &+ c &+ Word(repeating: 0xa3014314) &+ m6, 15)
            b = c &+ rotate(d ^ (c | ~a) &+ b &+ Word(repeating: 0x4e0811a1) &+ m13, 21)
            a = b &+ rotate(c ^ (b | ~d) &+ a &+ Word(repeating: 0xf7537e82) &+ m4, 6)
            d = a &+ rotate(b ^ (a | ~c) &+ d &+ Word(repeating: 0xbd3af235) &+ m11, 10)
            c = d &+ rotate(a ^ (d | ~b) &+ c &+ Word(repeating: 0x2ad7d2bb) &+ m2, 15)
            b = c &+ rotate(d ^ (c | ~a) &+ b &+ Word(repeating: 0xeb86d391) &+ m9, 21)
            self.a = self.a &+ a
            self.b = self.b &+ b
            self.c = self.c &+ c
            self.d = self.d &+ d
        }
    }
}

extension Substring {
    fileprivate func trimmingSuffix() -> String {
        var text = self
        while let last = text.last, last == "\n" || last == "\t" || last == " " { text.removeLast() }
        return String(text)
    }
}
