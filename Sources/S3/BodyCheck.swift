// BodyCheck: what one complete body must match, decided per response (see `plan`), and the
// running computation of it — one digest over the body, or one per part and then a digest of
// the parts' digests for composite checksums and multipart ETags.

struct BodyCheck {
    let kind: Verification
    private let algorithm: BodyDigest.Algorithm?
    /// Hex for MD5 and multipart ETags, base64 for stored checksums (without `-N`).
    let expected: String
    /// Set for composite checksums and multipart ETags: the size of every part but the last.
    private let partSize: Int?
    private let expectedParts: Int?
    private var current: BodyDigest?
    private var inPart = 0
    private var partDigests: [UInt8] = []
    private var partsDone = 0

    private init(kind: Verification, algorithm: BodyDigest.Algorithm?, expected: String, partSize: Int? = nil, parts: Int? = nil) {
        self.kind = kind
        self.algorithm = algorithm
        self.expected = expected
        self.partSize = partSize
        expectedParts = parts
        current = algorithm.map(BodyDigest.init)
    }

    /// The strongest check the response allows: the ETag as MD5 for unencrypted single-part
    /// objects; else the stored checksum; else (unencrypted) the multipart ETag when the part
    /// size is known; else the size alone.
    /// - Parameters:
    ///   - partSize: part 1's size (from a HEAD with `partNumber=1`), when known.
    ///   - size: the object's size, to check the part size against.
    static func plan(_ facts: ObjectFacts, partSize: Int?, size: Int?) -> BodyCheck {
        if let md5 = facts.md5 { return BodyCheck(kind: .md5, algorithm: .md5, expected: md5) }
        if let checksum = facts.checksum {
            guard let parts = checksum.compositeParts else {
                return BodyCheck(kind: checksum.algorithm.verification, algorithm: checksum.algorithm.digest, expected: checksum.value)
            }
            if let partSize, fits(partSize: partSize, parts: parts, size: size) {
                return BodyCheck(kind: checksum.algorithm.verification, algorithm: checksum.algorithm.digest,
                                 expected: checksum.value, partSize: partSize, parts: parts)
            }
        }
        if !facts.encrypted, let parts = facts.multipartCount, let etag = facts.etag, let partSize,
           fits(partSize: partSize, parts: parts, size: size) {
            return BodyCheck(kind: .multipartETag, algorithm: .md5, expected: etag.lowercased(), partSize: partSize, parts: parts)
        }
        return BodyCheck(kind: .size, algorithm: nil, expected: "")
    }

    /// Whether `parts` parts of `partSize` (the last one shorter or equal) make `size` bytes.
    static func fits(partSize: Int, parts: Int, size: Int?) -> Bool {
        guard partSize > 0, parts >= 1 else { return parts == 1 && size == 0 && partSize == 0 }
        guard let size else { return true }
        return (parts - 1) * partSize < size && size <= parts * partSize
    }

    /// Whether the multi-lane MD5 can compute this check from the whole body.
    var isWholeBodyMD5: Bool { kind == .md5 }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard current != nil else { return }
        guard let partSize, partSize > 0 else {
            current!.update(bytes)
            return
        }
        var offset = 0
        while offset < bytes.count {
            if inPart == partSize { endPart() }
            let take = min(partSize - inPart, bytes.count - offset)
            current!.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]))
            inPart += take
            offset += take
        }
    }

    private mutating func endPart() {
        partDigests += current!.finalize()
        partsDone += 1
        current = BodyDigest(algorithm!)
        inPart = 0
    }

    /// The digest of everything given, in the form of `expected` (with `-N` for parts).
    mutating func computed() -> String {
        guard let algorithm, let current else { return "" }
        guard partSize != nil else {
            let digest = current.finalize()
            return algorithm == .md5 ? SigV4Signer.hex(digest) : Base64.encode(digest)
        }
        if inPart > 0 || partsDone == 0 { endPart() }
        var whole = BodyDigest(algorithm)
        partDigests.withUnsafeBytes { whole.update($0) }
        if kind == .multipartETag { return SigV4Signer.hex(whole.finalize()) + "-\(partsDone)" }
        return Base64.encode(whole.finalize()) + "-\(partsDone)"
    }

    /// What the computed digest must equal.
    var expectedText: String {
        guard let expectedParts, kind != .multipartETag else { return expected }
        return expected + "-\(expectedParts)"
    }

    /// Computes the digest and compares; nil when it matches, else a reason.
    mutating func mismatch() -> String? {
        guard kind != .size else { return nil }
        let digest = computed()
        return digest == expectedText ? nil : "\(kind.rawValue) \(digest) does not match the object's \(expectedText)"
    }
}
