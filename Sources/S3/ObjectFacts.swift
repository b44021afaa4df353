// ObjectFacts: what a GET or HEAD response says about how its body can be verified — the
// ETag, whether encryption makes the ETag something other than an MD5, the stored checksum
// (full-object or composite) and the part count of a multipart upload.

struct ObjectFacts: Sendable, Equatable {
    /// A stored checksum: the base64 value without its `-N` suffix, and for a composite one
    /// (a checksum of the parts' checksums) the part count.
    struct Checksum: Sendable, Equatable {
        var algorithm: ChecksumAlgorithm
        var value: String
        var compositeParts: Int?
    }

    var etag: String?
    /// SSE-KMS, DSSE-KMS or SSE-C: the ETag is not the MD5 of the body, even without `-N`.
    var encrypted: Bool
    var checksum: Checksum?
    /// `x-amz-mp-parts-count` (sent on a HEAD or GET with `partNumber`).
    var partsCount: Int?

    /// Reads the headers of a response (names in lower case); `etag` stands in when the
    /// response has none (the listing's).
    init(headers: [String: String], etag fallback: String?) {
        etag = headers["etag"].map { $0.trimmingCharacters(quote: "\"") } ?? fallback
        let sse = headers["x-amz-server-side-encryption"]?.lowercased()
        encrypted = sse == "aws:kms" || sse == "aws:kms:dsse" || headers["x-amz-server-side-encryption-customer-algorithm"] != nil
        partsCount = headers["x-amz-mp-parts-count"].flatMap { Int($0) }
        checksum = nil
        let etagParts = Self.multipartCount(etag)
        for algorithm in ChecksumAlgorithm.allCases {
            guard let text = headers[algorithm.header], !text.isEmpty else { continue }
            let pieces = text.split(separator: "-", maxSplits: 1)
            let suffix = pieces.count == 2 ? Int(pieces[1]) : nil
            let value = String(pieces[0])
            switch headers["x-amz-checksum-type"]?.uppercased() {
            case "COMPOSITE":
                guard let parts = suffix ?? etagParts else { continue }
                checksum = Checksum(algorithm: algorithm, value: value, compositeParts: parts)
            case "FULL_OBJECT":
                checksum = Checksum(algorithm: algorithm, value: value, compositeParts: nil)
            default:
                if let suffix {
                    checksum = Checksum(algorithm: algorithm, value: value, compositeParts: suffix)
                } else if etagParts == nil {
                    checksum = Checksum(algorithm: algorithm, value: value, compositeParts: nil)
                }
                // A multipart object's checksum without `-N` and without a type could be either
                // kind (moto answers a HEAD so): not used.
            }
            if checksum != nil { break }
        }
    }

    /// The ETag when it is the MD5 of the body: 32 hex digits, and not encrypted with KMS or a
    /// customer key.
    var md5: String? { encrypted ? nil : Self.plainMD5(etag) }

    /// N of a multipart ETag `…-N`.
    var multipartCount: Int? { Self.multipartCount(etag) }

    static func plainMD5(_ etag: String?) -> String? {
        guard let etag, etag.utf8.count == 32, etag.utf8.allSatisfy({ Self.isHex($0) }) else { return nil }
        return etag.lowercased()
    }

    static func multipartCount(_ etag: String?) -> Int? {
        guard let etag, let dash = etag.lastIndex(of: "-"), let n = Int(etag[etag.index(after: dash)...]), n >= 1,
              etag[..<dash].utf8.count == 32, etag[..<dash].utf8.allSatisfy({ Self.isHex($0) }) else { return nil }
        return n
    }

    private static func isHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }
}
