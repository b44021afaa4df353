// S3Tool: the steps of s3ls that join ToolRun (records in and out) with the S3 library.
import Records
import S3
import ToolSupport

enum S3Tool {
    /// A client from flags, environment and AWS config; configuration problems are fatal.
    static func client(endpointURL: String?, profile: String?, requestPayer: RequestPayer?) throws -> S3Client {
        do {
            var configuration = try S3Configuration.resolve(endpointURL: endpointURL, profile: profile)
            configuration.requestPayer = requestPayer?.rawValue
            return S3Client(configuration: configuration)
        } catch let error as S3Error {
            throw ToolError("\(error)")
        }
    }

    /// `--all`: one record per object under the prefix.
    static func emitAll(client: S3Client, location: S3Location, extensions: Set<String>, run: ToolRun) throws -> String {
        var objects = 0
        var bytes = 0
        var archived = 0
        try list(client: client, location: location) { object in
            if !extensions.isEmpty, !extensions.contains(NameList.fileExtension(object.fileName)) { return }
            // Ids by the list rule over the listing's key order; the key settles names that
            // several folders share.
            var record = object.record(bucket: location.bucket)
            guard try run.admitGenerated(&record, name: String(object.fileName), fallbacks: [object.key]) else { return }
            objects += 1
            bytes += object.size
            if object.isArchived { archived += 1 }
            try run.emit(record)
        }
        let archivedNote = archived > 0 ? ", \(archived) archived, not downloadable without a restore" : ""
        return "\(objects) objects, \(Format.bytes(bytes))" + archivedNote
    }

    /// Reads the name list, lists the prefix once, and emits one record per listed name in
    /// list order.
    static func matchList(client: S3Client, location: S3Location, matcher: NameMatcher, run: ToolRun) throws -> Int32 {
        let names = NameList()
        run.skipsTextLine = { names.isHeader($0) }
        run.recordFromText = { line in ["name": .string(names.name(fromLine: line))] }
        run.idSource = { record in
            guard let name = record["name"]?.stringValue, !name.isEmpty else { return nil }
            return (name, [])
        }
        var summary = MatchSummary()
        var extraFields: [Int: Record] = [:]   // records that carry more than id and name
        while let item = try run.nextRecord() {
            guard let name = item.record["name"]?.stringValue, !name.isEmpty else {
                var record = item.record
                record.setError(RecordError(stage: "s3ls", code: "bad_input",
                                            message: "\(item.source):\(item.line): no file name", retryable: false))
                try run.emit(record)
                continue
            }
            let index = matcher.add(name)
            // Most records are {id: stem, name}: rebuilt from the name alone instead of kept.
            if item.record.count > 2 || item.record.id != String(NameList.stem(name[...])) { extraFields[index] = item.record }
        }
        if run.shouldStop { return run.finish() }
        try list(client: client, location: location) { matcher.consider($0) }
        summary.listed = matcher.count
        summary.duplicates = run.counters.snapshot.failuresByCode["duplicate_id"] ?? 0
        let where_ = "s3://\(location.bucket)/\(location.prefix)"
        for index in 0..<matcher.count {
            let name = matcher.names[index]
            var record = extraFields[index] ?? ["id": .string(String(NameList.stem(name[...]))), "name": .string(name)]
            let match = matcher.match(for: index)
            summary.add(name: name, match: match)
            if let match {
                match.object.addFields(to: &record, bucket: location.bucket)
                if !match.alternatives.isEmpty {
                    record["alternatives"] = .array(match.alternatives.map { .string($0.key) })
                }
            } else {
                record.setError(RecordError(stage: "s3ls", code: "not_found",
                                            message: "no object named \(name) (or with its stem and another extension) under \(where_)",
                                            retryable: false))
            }
            try run.emit(record)
        }
        StandardError.shared.printLine("s3ls: \(where_): " + summary.line(formatBytes: Format.bytes))
        return run.finish()
    }

    private static func list(client: S3Client, location: S3Location, _ body: (S3Object) throws -> Void) throws {
        do {
            try client.listObjects(bucket: location.bucket, prefix: location.prefix) { page in
                for object in page.objects { try body(object) }
            }
        } catch let error as S3Error {
            throw ToolError("cannot list s3://\(location.bucket)/\(location.prefix): \(error)")
        }
    }
}

extension Substring {
    func trimmingCharacters(in characters: String) -> String {
        String(drop { characters.contains($0) })
    }
}
