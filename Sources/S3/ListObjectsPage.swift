// ListObjectsPage: one page of a ListObjectsV2 answer, read from its XML.

/// An object as a listing shows it.
public struct S3Object: Sendable, Equatable {
    public var key: String
    public var size: Int
    /// The ETag without its quotes (an MD5 in hex for single-part uploads).
    public var etag: String
    /// `2026-03-02T10:11:12.000Z` as S3 sends it.
    public var lastModified: String
    /// `STANDARD`, `GLACIER`, `DEEP_ARCHIVE`, … as the listing says (nil when it does not).
    public var storageClass: String?

    public init(key: String, size: Int, etag: String, lastModified: String, storageClass: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.storageClass = storageClass
    }

    /// In GLACIER or DEEP_ARCHIVE: a GET fails until the object is restored.
    public var isArchived: Bool { ArchivedObjects.isArchived(storageClass: storageClass) }

    /// The last path segment of the key.
    public var fileName: Substring {
        guard let slash = key.lastIndex(of: "/") else { return key[...] }
        return key[key.index(after: slash)...]
    }
}

/// One page of ListObjectsV2.
public struct ListObjectsPage: Sendable, Equatable {
    public var objects: [S3Object]
    public var commonPrefixes: [String]
    /// Set when more pages follow.
    public var nextContinuationToken: String?

    /// Parses the XML body; keys are URL-decoded when the answer says `EncodingType` url
    /// (form decoding, `+` is a space, as botocore does).
    public init(xml: [UInt8]) throws {
        let scanner = XMLScanner(xml)
        guard scanner.elements("ListBucketResult").isEmpty == false || scanner.text("IsTruncated") != nil else {
            throw S3Error.invalidResponse("a ListObjectsV2 answer without ListBucketResult")
        }
        let urlEncoded = scanner.text("EncodingType")?.lowercased() == "url"
        let decode: (String) -> String = { urlEncoded ? URIEncoding.decode($0, plusIsSpace: true) : $0 }
        var objects: [S3Object] = []
        for range in scanner.elements("Contents") {
            guard let key = scanner.text("Key", in: range) else { continue }
            var etag = scanner.text("ETag", in: range) ?? ""
            if etag.hasPrefix("\""), etag.hasSuffix("\""), etag.count >= 2 { etag = String(etag.dropFirst().dropLast()) }
            objects.append(S3Object(key: decode(key), size: scanner.text("Size", in: range).flatMap { Int($0) } ?? 0,
                                    etag: etag, lastModified: scanner.text("LastModified", in: range) ?? "",
                                    storageClass: scanner.text("StorageClass", in: range)))
        }
        self.objects = objects
        commonPrefixes = scanner.elements("CommonPrefixes").compactMap { scanner.text("Prefix", in: $0).map(decode) }
        let truncated = scanner.text("IsTruncated") == "true"
        nextContinuationToken = truncated ? scanner.text("NextContinuationToken") : nil
        if truncated, nextContinuationToken == nil {
            throw S3Error.invalidResponse("a truncated listing without NextContinuationToken")
        }
    }
}

/// The `<Error>` body of a failed request.
public struct S3ErrorBody: Sendable, Equatable {
    public var code: String
    public var message: String

    public init(xml: [UInt8]) {
        let scanner = XMLScanner(xml)
        code = scanner.text("Code") ?? ""
        message = scanner.text("Message") ?? ""
    }
}
