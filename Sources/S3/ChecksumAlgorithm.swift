// ChecksumAlgorithm: the checksums S3 can store for an object (`x-amz-checksum-*`).

/// The checksums S3 can store for an object, in the order s3fetch prefers them.
enum ChecksumAlgorithm: String, CaseIterable, Sendable {
    case crc64nvme, crc32c, crc32, sha256, sha1

    var header: String { "x-amz-checksum-" + rawValue }

    var digest: BodyDigest.Algorithm {
        switch self {
        case .crc64nvme: .crc64nvme
        case .crc32c: .crc32c
        case .crc32: .crc32
        case .sha256: .sha256
        case .sha1: .sha1
        }
    }

    var verification: Verification { Verification(rawValue: rawValue)! }
}
