// ChecksumTests: the CRCs against published check values (the "123456789" catalogue values,
// AWS's aws-checksums / aws-c-s3 CRC64-NVME vectors, RFC 3720's CRC32C vectors, SPDK's NVMe
// ones), any split of the input giving the same CRC as one call, composite checksums and
// multipart ETags computed part by part, and which check a response head calls for.
import Crypto
@testable import S3
import Testing

struct ChecksumTests {
    static let digits = Array("123456789".utf8)

    @Test func crcsMatchPublishedCheckValues() {
        #expect(CRC.crc32.checksum(Self.digits) == 0xCBF4_3926)
        #expect(CRC.crc32c.checksum(Self.digits) == 0xE306_9283)
        #expect(CRC.crc64nvme.checksum(Self.digits) == 0xAE8B_1486_0A79_9888)
        let zeros32 = [UInt8](repeating: 0, count: 32)
        #expect(CRC.crc32.checksum(zeros32) == 0x190A_55AD)  // aws-crt-cpp
        #expect(CRC.crc32c.checksum(zeros32) == 0x8A91_36AA)  // RFC 3720 B.4
        #expect(CRC.crc32c.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)  // RFC 3720 B.4
        #expect(CRC.crc32c.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)  // RFC 3720 B.4
        #expect(CRC.crc64nvme.checksum(zeros32) == 0xCF34_7343_4D4E_CF3B)  // aws-checksums
        #expect(CRC.crc64nvme.checksum(Array("aaaaaaaaaa".utf8)) == 0x0C1A_8003_6D65_C555)  // aws-c-s3
        #expect(CRC.crc64nvme.checksum([UInt8](repeating: 0, count: 4096)) == 0x6482_D367_EB22_B64E)  // SPDK
        #expect(CRC.crc64nvme.checksum([UInt8](repeating: 0xFF, count: 4096)) == 0xC0DD_BA73_02EC_A3AC)  // SPDK
        #expect(CRC.crc32.checksum([]) == 0 && CRC.crc64nvme.checksum([]) == 0)
    }

    @Test func checksumHeadersAreBase64OfTheBigEndianCRC() {
        var digest = BodyDigest(.crc64nvme)
        Array("Hello, World!\n".utf8).withUnsafeBytes { digest.update($0) }
        #expect(Base64.encode(digest.finalize()) == "SoXXbx67KpE=")
        var sha = BodyDigest(.sha256)
        Array("hello".utf8).withUnsafeBytes { sha.update($0) }
        #expect(Base64.encode(sha.finalize()) == "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            #expect(Base64.decode(Array(Base64.encode(Array(text.utf8)).utf8)) == Array(text.utf8))
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.decode(Array("Zm9v!mFy".utf8)) == nil)
    }

    @Test func anySplitOfTheInputGivesTheSameCRC() {
        var state: UInt64 = 0x1234_5678
        let data: [UInt8] = (0..<10_007).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        // A bit-at-a-time reference for the slicing tables.
        func bitwise(_ poly: UInt64, width: Int) -> UInt64 {
            let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
            var crc = mask
            for byte in data {
                crc ^= UInt64(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ poly : crc >> 1 }
            }
            return ~crc & mask
        }
        #expect(UInt64(CRC.crc32.checksum(data)) == bitwise(0xEDB8_8320, width: 32))
        #expect(UInt64(CRC.crc32c.checksum(data)) == bitwise(0x82F6_3B78, width: 32))
        // The SSE4.2 instruction (when this CPU has it) agrees with the tables at every length.
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 1000, data.count] {
            let slice = Array(data[0..<length])
            let fast = slice.withUnsafeBytes { ~CRC.updateCRC32C(~0, $0) }
            #expect(fast == CRC.crc32c.checksum(slice), "length \(length)")
        }
        #expect(Self.digits.withUnsafeBytes { ~CRC.updateCRC32C(~0, $0) } == 0xE306_9283)
        #expect(CRC.crc64nvme.checksum(data) == bitwise(0x9A6C_9329_AC4B_C9B5, width: 64))
        for split in [1, 3, 7, 8, 9, 4096, 10_000] {
            let crc = data.withUnsafeBytes { bytes in
                var c = CRC.crc64nvme.initial
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + split)
                    c = CRC.crc64nvme.update(c, UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                    offset = end
                }
                return CRC.crc64nvme.finish(c)
            }
            #expect(crc == CRC.crc64nvme.checksum(data))
        }
    }

    /// The carry-less folding (on CPUs with PCLMULQDQ) agrees with the tables at every length
    /// around the block and minimum sizes, from any state; its constants come from the polynomial.
    @Test func foldingAgreesWithTheTables() {
        var state: UInt64 = 0xDEAD_BEEF
        let data: [UInt8] = (0..<70_001).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 29)
        }
        func agree<W>(_ crc: SlicingCRC<W>, _ label: String) {
            data.withUnsafeBytes { all in
                for length in Array(0..<200) + [1_000, 4_095, 4_096, 4_097, 70_001] {
                    let bytes = UnsafeRawBufferPointer(rebasing: all[0..<length])
                    for start in [crc.initial, 0, W(truncatingIfNeeded: 0x1234_5678_9ABC_DEF0 as UInt64)] {
                        #expect(crc.update(start, bytes) == crc.updateWithTables(start, bytes), "\(label) length \(length)")
                    }
                }
            }
        }
        agree(CRC.crc32, "crc32")
        agree(CRC.crc32c, "crc32c")
        agree(CRC.crc64nvme, "crc64nvme")
        // The CRC32 constant x^95 mod P is the one zlib's PCLMUL code folds by (k4); the
        // CRC64-NVME ones are pinned so a change to their derivation shows.
        #expect(CRC.crc32.foldHigh == 0xCCAA_009E)
        #expect(CRC.crc64nvme.foldLow == 0xEADC_41FD_2BA3_D420 && CRC.crc64nvme.foldHigh == 0x21E9_761E_2526_21AC)
    }

    /// Three parts of 1,000, 1,000 and 500 bytes, fed in pieces that straddle the boundaries.
    @Test func compositeChecksumsAndMultipartETagsAreComputedPartByPart() {
        let body: [UInt8] = (0..<2_500).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let parts = [body[0..<1000], body[1000..<2000], body[2000...]].map { Array($0) }
        let partCRCs = parts.flatMap { part -> [UInt8] in
            let c = CRC.crc32.checksum(part)
            return [UInt8(c >> 24), UInt8(c >> 16 & 255), UInt8(c >> 8 & 255), UInt8(c & 255)]
        }
        let composite = Base64.encode(partCRCs.withUnsafeBytes { bytes in
            var d = BodyDigest(.crc32)
            d.update(bytes)
            return d.finalize()
        })
        let etag = SigV4Signer.hex(Array(Insecure.MD5.hash(data: parts.flatMap { Array(Insecure.MD5.hash(data: $0)) }))) + "-3"

        func run(_ headers: [String: String], partSize: Int?) -> (Verification, String?) {
            var check = BodyCheck.plan(ObjectFacts(headers: headers, etag: nil), partSize: partSize, size: body.count)
            body.withUnsafeBytes { bytes in
                for start in stride(from: 0, to: bytes.count, by: 333) {
                    check.update(UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + 333)]))
                }
            }
            return (check.kind, check.mismatch())
        }
        let stored = ["etag": "\"\(etag)\"", "x-amz-checksum-crc32": composite + "-3", "x-amz-checksum-type": "COMPOSITE"]
        #expect(run(stored, partSize: 1000) == (.crc32, nil))
        #expect(run(["etag": etag], partSize: 1000) == (.multipartETag, nil))
        // The part size must fit the object; without it only the size is known.
        #expect(run(["etag": etag], partSize: 800).0 == .size)
        #expect(run(stored, partSize: nil).0 == .size)
        // A wrong part boundary or value is a mismatch, not a pass.
        var wrong = stored
        wrong["x-amz-checksum-crc32"] = "AAAAAA==-3"
        #expect(run(wrong, partSize: 1000).1 != nil)
        #expect(run(["etag": etag], partSize: 900).1 != nil)
    }

    @Test func theResponseDecidesWhichCheckApplies() {
        let md5 = "5d41402abc4b2a76b9719d911017c592"
        func kind(_ headers: [String: String]) -> Verification {
            BodyCheck.plan(ObjectFacts(headers: headers, etag: nil), partSize: nil, size: 5).kind
        }
        #expect(kind(["etag": "\"\(md5)\""]) == .md5)
        #expect(kind(["etag": md5, "x-amz-server-side-encryption": "AES256"]) == .md5)  // SSE-S3
        // SSE-KMS, DSSE and SSE-C: the ETag is no MD5; the checksum, else the size.
        #expect(kind(["etag": md5, "x-amz-server-side-encryption": "aws:kms"]) == .size)
        #expect(kind(["etag": md5, "x-amz-server-side-encryption": "aws:kms:dsse", "x-amz-checksum-crc32": "NhCmhg=="]) == .crc32)
        #expect(kind(["etag": md5, "x-amz-server-side-encryption-customer-algorithm": "AES256",
                      "x-amz-checksum-crc64nvme": "AAAAAAAAAAA="]) == .crc64nvme)
        #expect(kind(["etag": md5 + "-2", "x-amz-checksum-sha256": "x", "x-amz-checksum-type": "FULL_OBJECT"]) == .sha256)
        // A multipart object's checksum with neither `-N` nor a type: either kind; unused.
        #expect(ObjectFacts(headers: ["etag": md5 + "-2", "x-amz-checksum-crc32": "AAAAAA=="], etag: nil).checksum == nil)
        var check = BodyCheck.plan(ObjectFacts(headers: ["etag": md5, "x-amz-server-side-encryption": "aws:kms",
                                                         "x-amz-checksum-crc32": "NhCmhg=="], etag: nil), partSize: nil, size: 5)
        Array("hello".utf8).withUnsafeBytes { check.update($0) }
        #expect(check.mismatch() == nil)
    }

    @Test func theSSECKeyComesFromAFileOrTheEnvironmentNeverTheArgument() throws {
        let key = (0..<32).map { UInt8($0) }
        let fromEnv = try SSECustomerKey.load("env:KEY", environment: { $0 == "KEY" ? Base64.encode(key) : nil })
        #expect(fromEnv.headers.map(\.value) == ["AES256", Base64.encode(key), Base64.encode(Array(Insecure.MD5.hash(data: key)))])
        #expect(throws: S3Error.self) { try SSECustomerKey.load(Base64.encode(key), environment: { _ in nil }) }
        #expect(throws: S3Error.self) { try SSECustomerKey.load("env:NOPE", environment: { _ in nil }) }
        #expect(throws: S3Error.self) { try SSECustomerKey(material: Array("short".utf8)) }
    }
}
