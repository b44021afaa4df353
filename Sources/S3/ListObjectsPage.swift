// ListObjectsPage: one page of a ListObjectsV2 answer, read from its XML.
import HTTP

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
        // On the UTF-8 bytes: "/" is ASCII, so its byte index is a character boundary (and a
        // Character search costs a fifth of s3ls --all's time).
        guard let slash = key.utf8.lastIndex(of: UInt8(ascii: "/")) else { return key[...] }
        return key[key.utf8.index(after: slash)...]
    }
}

/// One page of ListObjectsV2.
public struct ListObjectsPage: Sendable, Equatable {
    public var objects: [S3Object]
    public var commonPrefixes: [String]
    /// Set when more pages follow.
    public var nextContinuationToken: String?

    /// The elements of each listed object.
    private enum Tags {
        static let key = XMLScanner.Tag("Key"), etag = XMLScanner.Tag("ETag"), size = XMLScanner.Tag("Size")
        static let lastModified = XMLScanner.Tag("LastModified"), storageClass = XMLScanner.Tag("StorageClass")
    }

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
            guard let key = scanner.text(Tags.key, in: range) else { continue }
            var etag = scanner.text(Tags.etag, in: range) ?? ""
            if etag.utf8.count >= 2, etag.hasPrefix("\""), etag.hasSuffix("\"") { etag = String(etag.dropFirst().dropLast()) }
            objects.append(S3Object(key: decode(key), size: scanner.text(Tags.size, in: range).flatMap { Int($0) } ?? 0,
                                    etag: etag, lastModified: scanner.text(Tags.lastModified, in: range) ?? "",
                                    storageClass: scanner.text(Tags.storageClass, in: range)))
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
