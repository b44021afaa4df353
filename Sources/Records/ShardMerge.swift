// ShardMerge: joins the outputs of the N shards of one stage (`--shard K/N`, each its own -o
// file) into the file one run would have written: one output record for every input record, in
// the input's order (model tools answer out of order; the merge restores it). It refuses — before
// anything reaches the final name — when a shard file is missing or cut, or a record is missing,
// repeated, or in the wrong shard's file. Memory: the 16-byte-a-record ShardIndex, whatever the
// records' size; each record is copied byte for byte from its shard file.
import Posix

public struct ShardMerge {
    /// The stage's input: its records' order is the merged file's order.
    public let input: String
    /// The shards' outputs, any order.
    public let shardFiles: [String]

    public init(input: String, shardFiles: [String]) {
        self.input = input
        self.shardFiles = shardFiles
    }

    /// What a merge wrote.
    public struct Summary: Sendable, Equatable {
        public var records = 0
        public var errorRecords = 0
        public var shards = 0
    }

    /// `STAGE.K-of-N.ndjson` beside `STAGE.ndjson`: the name of shard K's output (`.ndjson`, or
    /// whatever `output` ends with after its last dot, stays last).
    public static func shardPath(of output: String, shard: Shard) -> String {
        let slash = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
        let tag = "\(shard.index)-of-\(shard.count)"
        guard let dot = output[slash...].lastIndex(of: "."), dot > slash else { return "\(output).\(tag)" }
        return "\(output[..<dot]).\(tag)\(output[dot...])"
    }

    /// Every shard's output path for `output` split `count` ways.
    public static func shardPaths(of output: String, count: Int) throws(ShardSpecError) -> [String] {
        try (0..<count).map { (index: Int) throws(ShardSpecError) -> String in
            shardPath(of: output, shard: try Shard(index: index, count: count))
        }
    }

    /// The shard a file name says it holds (`….K-of-N.…`), nil for other names.
    static func shard(named path: String) -> Shard? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for part in name.split(separator: ".").reversed() {
            let numbers = part.split(separator: "-", omittingEmptySubsequences: false)
            guard numbers.count == 3, numbers[1] == "of", let k = Int(numbers[0]), let n = Int(numbers[2]) else { continue }
            return try? Shard(index: k, count: n)
        }
        return nil
    }

    /// Writes the merged records to `writer`.
    public func run(into writer: NDJSONWriter) throws -> Summary {
        guard shardFiles.count <= ShardIndex.Entry.maximumFiles else {
            throw ShardMergeError.tooLarge(path: shardFiles[0], reason: "more than \(ShardIndex.Entry.maximumFiles) shard files")
        }
        var files: [ShardFile] = []
        var index = ShardIndex()
        for (number, path) in shardFiles.enumerated() {
            let file = try ShardFile(path: path)
            try file.addRecords(to: &index, fileNumber: number)
            files.append(file)
        }
        index.seal()

        var summary = Summary(shards: files.count)
        let reader = try RecordReader(path: input)
        while let item = try reader.next() {
            let key: String
            let inputError: RecordError?
            switch item {
            case .record(let record, let line):
                key = ResumeJournal.key(for: record) ?? Self.lineKey(source: reader.name, line: line)
                inputError = record.hasError ? record.error : nil
            case .invalid(let line, _, _), .text(_, let line):
                // The tool wrote its bad_input error record for this line, keyed by the line.
                key = Self.lineKey(source: reader.name, line: line)
                inputError = RecordError(stage: "", code: "bad_input", message: "", retryable: false)
            }
            guard let chosen = try Self.bestMatch(for: key, inputError: inputError, in: index, files: files) else {
                throw ShardMergeError.missingRecord(input: reader.name, line: item.line, key: key)
            }
            index.take(chosen.position)
            try chosen.bytes.withUnsafeBufferPointer { try writer.writeLine($0) }
            summary.records += 1
            if chosen.isError { summary.errorRecords += 1 }
        }
        if let extra = index.firstUntaken {
            let file = files[extra.file]
            let record = try file.record(at: extra.offset)
            throw ShardMergeError.extraRecord(path: file.path, line: try file.lineNumber(at: extra.offset),
                                              key: ResumeJournal.key(for: record) ?? "?")
        }
        return summary
    }

    /// The key ToolRun gives a record made from a bad input line.
    static func lineKey(source: String, line: Int) -> String {
        "\u{1}\(source):\(line)"
    }

    private struct Match {
        var position: Int
        var bytes: [UInt8]
        var isError: Bool
    }

    /// Among the untaken output records of `key`, the one that stands for this input record:
    /// a record of one id can appear more than once (a later duplicate becomes a duplicate_id
    /// error record; an upstream error passes through beside a retried record), so like goes
    /// with like, then file order.
    private static func bestMatch(for key: String, inputError: RecordError?, in index: ShardIndex,
                                  files: [ShardFile]) throws -> Match? {
        var best: (rank: Int, match: Match)?
        for position in index.untaken(hash: StableHash(key).low) {
            let entry = index.entries[position]
            let bytes = try files[entry.file].line(at: entry.offset)
            let record = try files[entry.file].parse(bytes, offset: entry.offset)
            guard ResumeJournal.key(for: record) == key else { continue }  // another key, same 64-bit hash
            let rank = Self.rank(of: record, for: inputError)
            if best == nil || rank < best!.rank {
                best = (rank, Match(position: position, bytes: bytes, isError: record.hasError))
            }
            if rank == 0 { break }
        }
        return best?.match
    }

    /// 0 is the natural answer to the input record, 2 the least likely.
    private static func rank(of output: Record, for inputError: RecordError?) -> Int {
        let outputError = output.hasError ? output.error : nil
        if let inputError {
            guard let outputError else { return 2 }
            return outputError.code == inputError.code ? 0 : 1
        }
        guard let outputError else { return 0 }
        return outputError.code == "duplicate_id" ? 2 : 1
    }
}

/// One shard's output file, open for reading records at their offsets.
private final class ShardFile {
    let path: String
    let shard: Shard?
    private let descriptor: FileDescriptor
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)

    init(path: String) throws {
        self.path = path
        shard = ShardMerge.shard(named: path)
        guard FileSystem.exists(path) else {
            throw ShardMergeError.missingShard(path: path, partial: FileSystem.exists(path + ".part"))
        }
        descriptor = try FileDescriptor.open(path, .read)
        let size = try descriptor.status().size
        guard size <= ShardIndex.Entry.maximumOffset else {
            throw ShardMergeError.tooLarge(path: path, reason: "larger than \(ShardIndex.Entry.maximumOffset) bytes")
        }
        if size > 0 {
            var last: [UInt8] = [0]
            _ = try descriptor.readFully(into: &last, count: 1, at: size - 1)
            guard last[0] == 0x0A else { throw ShardMergeError.tornShard(path: path) }
        }
    }

    /// Adds every record's key hash and offset; checks each is a record of this file's shard.
    func addRecords(to index: inout ShardIndex, fileNumber: Int) throws {
        let lines = try LineReader(path: path)
        while let placed = try lines.withNextLine({ bytes, _ -> (key: String, offset: Int) in
            let record = try parse(bytes, line: lines.lineNumber)
            guard let key = ResumeJournal.key(for: record) else {
                throw ShardMergeError.unreadableLine(path: path, line: lines.lineNumber, reason: "record has no \"id\"")
            }
            return (key, lines.lineOffset)
        }) {
            let hash = StableHash(placed.key).low
            if let shard, case let belongs = Shard.index(ofHash: hash, count: shard.count), belongs != shard.index {
                throw ShardMergeError.wrongShard(path: path, line: lines.lineNumber, key: placed.key,
                                                 belongs: "\(belongs)/\(shard.count)")
            }
            index.append(hash: hash, file: fileNumber, offset: placed.offset)
        }
    }

    /// The line that starts at `offset`, without its newline. Reads 4 KiB first (most records
    /// are shorter), then more and more.
    func line(at offset: Int) throws -> [UInt8] {
        var line: [UInt8] = []
        var position = offset
        var want = 4096
        while true {
            let count = try descriptor.readFully(into: &chunk, count: want, at: position)
            want = min(want * 4, chunk.count)
            if let newline = chunk[0..<count].firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[0..<newline])
                return line
            }
            guard count > 0 else { return line }
            line.append(contentsOf: chunk[0..<count])
            position += count
        }
    }

    func record(at offset: Int) throws -> Record {
        try parse(try line(at: offset), offset: offset)
    }

    func parse(_ bytes: [UInt8], offset: Int) throws -> Record {
        try bytes.withUnsafeBufferPointer { buffer in
            do {
                return try parse(buffer, line: 0)
            } catch ShardMergeError.unreadableLine(let path, _, let reason) {
                throw ShardMergeError.unreadableLine(path: path, line: try lineNumber(at: offset), reason: reason)
            }
        }
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws -> Record {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ShardMergeError.unreadableLine(path: path, line: line, reason: "not valid JSON: \(error)")
        }
        guard let record = value.objectValue else {
            throw ShardMergeError.unreadableLine(path: path, line: line, reason: "not a JSON object")
        }
        return record
    }

    /// The 1-based number of the line starting at `offset` (for messages only: reads the file).
    func lineNumber(at offset: Int) throws -> Int {
        var newlines = 0
        var position = 0
        while position < offset {
            let count = try descriptor.readFully(into: &chunk, count: min(chunk.count, offset - position), at: position)
            guard count > 0 else { break }
            newlines += chunk[0..<count].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            position += count
        }
        return newlines + 1
    }
}
