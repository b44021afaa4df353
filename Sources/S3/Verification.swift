// Verification: which check proved a file holds the object — written to the record as
// `verified` and counted in s3fetch's summary.

/// The check a file passed, strongest first.
public enum Verification: String, Sendable, CaseIterable {
    /// The body's MD5 equals the ETag (unencrypted or SSE-S3 objects uploaded in one part).
    case md5
    /// The object's stored checksum (`x-amz-checksum-*`, full-object or composite `…-N`).
    case crc64nvme, crc32c, crc32, sha256, sha1
    /// The MD5 of the parts' MD5s equals a multipart ETag `…-N` (part size from a HEAD).
    case multipartETag = "multipart-etag"
    /// Only the length: nothing else could be checked (no checksum, encrypted or parts unknown).
    case size
}
