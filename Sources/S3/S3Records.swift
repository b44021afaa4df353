// S3Records: the record fields s3ls adds for an object and that s3fetch reads back.
import Records

extension S3Object {
    /// The fields s3ls adds: bucket, key, size, etag, last_modified, and storage_class when it
    /// is not STANDARD.
    public func addFields(to record: inout Record, bucket: String) {
        record["bucket"] = .string(bucket)
        record["key"] = .string(key)
        record["size"] = .int(size)
        record["etag"] = .string(etag)
        record["last_modified"] = .string(lastModified)
        if let storageClass, storageClass != "STANDARD" { record["storage_class"] = .string(storageClass) }
    }

    /// A record for an object listed without a name list (`s3ls --all`), without its id (the
    /// run gives it one from the file name, as for a listed name).
    public func record(bucket: String) -> Record {
        var record: Record = ["name": .string(String(fileName))]
        addFields(to: &record, bucket: bucket)
        return record
    }
}

extension DownloadItem {
    /// The object an s3ls record names, or nil when it lacks bucket or key.
    public init?(record: Record, tag: Int) {
        guard let bucket = record["bucket"]?.stringValue, !bucket.isEmpty,
              let key = record["key"]?.stringValue, !key.isEmpty else { return nil }
        var etag = record["etag"]?.stringValue
        if let quoted = etag, quoted.hasPrefix("\""), quoted.hasSuffix("\""), quoted.count >= 2 {
            etag = String(quoted.dropFirst().dropLast())
        }
        self.init(bucket: bucket, key: key, size: record["size"]?.intValue, etag: etag, tag: tag)
    }
}

extension DownloadOutcome {
    /// Adds `path`, `bytes`, `fetch` and `verified`, or the error, to the record.
    public func apply(to record: inout Record, stage: String) {
        switch self {
        case .downloaded(let path, let bytes, let verified):
            record["path"] = .string(path)
            record["bytes"] = .int(bytes)
            record["fetch"] = "downloaded"
            record["verified"] = .string(verified.rawValue)
        case .cached(let path, let bytes, let verified):
            record["path"] = .string(path)
            record["bytes"] = .int(bytes)
            record["fetch"] = "cached"
            record["verified"] = .string(verified.rawValue)
        case .failed(let code, let message, let retryable):
            record.setError(RecordError(stage: stage, code: code, message: message, retryable: retryable))
        }
    }
}
