// BodyDigest: one running digest of any algorithm s3fetch checks (MD5, SHA-1, SHA-256 and
// the three CRCs), so a body is hashed once whatever the object's checksum is.
import Crypto

struct BodyDigest {
    enum Algorithm: Sendable {
        case md5, sha1, sha256, crc32, crc32c, crc64nvme
    }

    private enum State {
        case md5(Insecure.MD5)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
        case crc32(UInt32), crc32c(UInt32), crc64nvme(UInt64)
    }

    private var state: State

    init(_ algorithm: Algorithm) {
        switch algorithm {
        case .md5: state = .md5(Insecure.MD5())
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha256: state = .sha256(SHA256())
        case .crc32: state = .crc32(CRC.crc32.initial)
        case .crc32c: state = .crc32c(CRC.crc32c.initial)
        case .crc64nvme: state = .crc64nvme(CRC.crc64nvme.initial)
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .md5(var h): h.update(bufferPointer: bytes); state = .md5(h)
        case .sha1(var h): h.update(bufferPointer: bytes); state = .sha1(h)
        case .sha256(var h): h.update(bufferPointer: bytes); state = .sha256(h)
        case .crc32(let c): state = .crc32(CRC.crc32.update(c, bytes))
        case .crc32c(let c): state = .crc32c(CRC.updateCRC32C(c, bytes))
        case .crc64nvme(let c): state = .crc64nvme(CRC.crc64nvme.update(c, bytes))
        }
    }

    /// The digest's bytes; CRCs big-endian, as S3 encodes them.
    func finalize() -> [UInt8] {
        switch state {
        case .md5(let h): return Array(h.finalize())
        case .sha1(let h): return Array(h.finalize())
        case .sha256(let h): return Array(h.finalize())
        case .crc32(let c): return Self.bigEndian(UInt64(CRC.crc32.finish(c)), bytes: 4)
        case .crc32c(let c): return Self.bigEndian(UInt64(CRC.crc32c.finish(c)), bytes: 4)
        case .crc64nvme(let c): return Self.bigEndian(CRC.crc64nvme.finish(c), bytes: 8)
        }
    }

    private static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * (bytes - 1 - $0))) }
    }
}
