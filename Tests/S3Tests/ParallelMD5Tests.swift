// ParallelMD5Tests: the four-lane MD5 agrees with swift-crypto's MD5 on inputs of every
// length class (empty, shorter than a block, padding spilling into a second block, long).
import Crypto
import ParallelMD5
import Testing

@Suite(.enabled(if: ParallelMD5.isSupported, "needs AVX2")) struct ParallelMD5Tests {
    func reference(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func matchesSwiftCryptoOnManyLengths() {
        var generator = SystemRandomNumberGenerator()
        let lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 70_001, 250_000]
        let inputs = lengths.map { count in (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let buffers = inputs.map { input -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: input.count, alignment: 16)
            buffer.copyBytes(from: input)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        let digests = ParallelMD5.hexDigests(of: buffers.map { UnsafeRawBufferPointer($0) })
        #expect(digests == inputs.map(reference))
    }

    @Test func knownVectors() {
        let texts = ["", "abc", "The quick brown fox jumps over the lazy dog"]
        let digests = texts.map { text in
            Array(text.utf8).withUnsafeBytes { ParallelMD5.hexDigests(of: [$0])[0] }
        }
        #expect(digests == ["d41d8cd98f00b204e9800998ecf8427e", "900150983cd24fb0d6963f7d28e17f72", "9e107d9d372bb6826bd81d3542a419d6"])
    }
}
