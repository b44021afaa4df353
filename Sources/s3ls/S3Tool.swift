// S3Tool: the steps of s3ls that join ToolRun (records in and out) with the S3 library.
import Posix
import Records
import S3
import ToolSupport

enum S3Tool {
    /// A client from flags, environment and AWS config; configuration problems are fatal.
    static func client(endpointURL: String?, profile: String?, requestPayer: RequestPayer?) throws -> S3Client {
        var configuration = try S3Configuration.resolve(endpointURL: endpointURL, profile: profile)
        configuration.requestPayer = requestPayer?.rawValue
        return S3Client(configuration: configuration)
    }

    /// `--all`: one record per object under the prefix.
    static func emitAll(client: S3Client, location: S3Location, extensions: Set<String>, run: ToolRun) throws -> String {
        // The ids of ten million keys on disk too, not in a set of hashes in memory.
        run.ids = try spooledIDs(output: run.options.output)
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
    /// list order. Names, ids and matched objects wait in unnamed spool files (next to the -o
    /// file, else in TMPDIR), so memory stays flat in the list's length: about 11 bytes a name
    /// while the list is read, 16 a distinct stem while the prefix is listed.
    static func matchList(client: S3Client, location: S3Location, ignoreCase: Bool, preferredExtensions: [String],
                          run: ToolRun) throws -> Int32 {
        run.ids = try spooledIDs(output: run.options.output)
        let directory = spoolDirectory(output: run.options.output)
        let matcher: NameMatcher
        do {
            matcher = try NameMatcher(ignoreCase: ignoreCase, preferredExtensions: preferredExtensions, spoolDirectory: directory)
        } catch {
            throw ToolError("cannot keep the name list in a temporary file under \(directory): \(error)")
        }
        let names = NameList()
        run.skipsTextLine = { names.isHeader($0) }
        run.recordFromText = { line in ["name": .string(names.name(fromLine: line))] }
        run.idSource = { record in
            guard let name = record["name"]?.stringValue, !name.isEmpty else { return nil }
            return (name, [])
        }
        var summary = MatchSummary()
        while let item = try run.nextRecord() {
            guard let name = item.record["name"]?.stringValue, !name.isEmpty else {
                var record = item.record
                record.setError(RecordError(stage: "s3ls", code: "bad_input",
                                            message: "\(item.source):\(item.line): no file name", retryable: false))
                try run.emit(record)
                continue
            }
            // Most records are {id: stem, name}: rebuilt from the name alone instead of kept.
            try matcher.add(name, input: item.record)
        }
        if run.shouldStop { return run.finish() }
        // Every id is given: their table goes before the listing's index is built.
        run.ids = IDAssigner()
        try list(client: client, location: location) { try matcher.consider($0) }
        summary.listed = matcher.count
        summary.duplicates = run.counters.snapshot.failuresByCode["duplicate_id"] ?? 0
        let where_ = "s3://\(location.bucket)/\(location.prefix)"
        try matcher.forEachMatch { name, input, match in
            summary.add(name: name, match: match)
            try run.emit(NameMatcher.record(name: name, input: input, match: match, location: location))
        }
        StandardError.shared.printLine("s3ls: \(where_): " + summary.line(formatBytes: Format.bytes))
        return run.finish()
    }

    /// The id rule with the ids taken kept in a spool file.
    static func spooledIDs(output: String?) throws -> SpooledIDAssigner {
        let directory = spoolDirectory(output: output)
        do {
            return try SpooledIDAssigner(directory: directory)
        } catch {
            throw ToolError("cannot keep the ids in a temporary file under \(directory): \(error)")
        }
    }

    /// Where s3ls keeps its spool files: beside the -o file (the disk the user chose for the
    /// output), else TMPDIR, else /tmp.
    static func spoolDirectory(output: String?) -> String {
        if let output, output != "-" { return FileSystem.split(path: output).directory }
        if let temporary = environmentValue("TMPDIR"), !temporary.isEmpty { return temporary }
        return "/tmp"
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
