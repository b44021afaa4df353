// ShardMerge: shard outputs (written out of order, as model tools do) come back as one file in
// the input's order, every record once; anything missing, cut, repeated or misplaced is refused.
import Posix
import Testing
@testable import Records

@Suite struct ShardMergeTests {
    /// `count` input records, ids spread over the shards by the stable hash.
    /// Every 50th is 200 KB long (read back in more than one piece).
    static func inputLines(_ count: Int) -> [String] {
        (0..<count).map { i in
            let padding = i % 50 == 7 ? String(repeating: "p", count: 200_000) : ""
            return #"{"id":"img_\#(i)","name":"img_\#(i).jpg","n":\#(i),"pad":"\#(padding)"}"#
        }
    }

    /// What a stage would write for an input line: the record with a field added.
    static func outputLine(_ input: String) -> String {
        String(input.dropLast()) + #","stage":"done"}"#
    }

    /// Writes each shard's output lines (reversed: out of input order) to STAGE.K-of-N.ndjson.
    static func writeShards(_ lines: [String], count: Int, in directory: TemporaryDirectory) throws -> [String] {
        var files: [String] = []
        for index in 0..<count {
            let shard = try Shard(index: index, count: count)
            let mine = lines.filter { line in
                guard case .object(let record) = try! JSONParser.parse(line) else { return false }
                return shard.contains(key: ResumeJournal.key(for: record)!)
            }
            let name = "stage.\(index)-of-\(count).ndjson"
            directory.write(name, mine.reversed().map { $0 + "\n" }.joined())
            files.append(directory.file(name))
        }
        return files
    }

    /// A temporary folder with in.ndjson (`count` records) to merge into out.ndjson.
    struct Fixture {
        let directory = TemporaryDirectory()
        let input: [String]
        var inputPath: String { directory.file("in.ndjson") }

        init(records count: Int) {
            self.init(lines: ShardMergeTests.inputLines(count))
        }

        init(lines: [String]) {
            input = lines
            directory.write("in.ndjson", lines.map { $0 + "\n" }.joined())
        }

        /// Merges into `out.ndjson` as merge-shards does (temporary name, renamed when complete).
        func merge(_ shards: [String]) throws -> ShardMerge.Summary {
            try OutputFile.write(to: directory.file("out.ndjson")) { writer in
                try ShardMerge(input: inputPath, shardFiles: shards).run(into: writer)
            }
        }

        /// Why the merge refuses (nil when it does not), after checking nothing reached out.ndjson.
        func refusal(_ shards: [String], sourceLocation: SourceLocation = #_sourceLocation) -> ShardMergeError? {
            defer { #expect(!directory.exists("out.ndjson"), sourceLocation: sourceLocation) }
            do { _ = try merge(shards) } catch let error as ShardMergeError { return error } catch { return nil }
            return nil
        }
    }

    @Test func shardsWrittenOutOfOrderComeBackInTheInputsOrderByteForByte() throws {
        let fixture = Fixture(records: 500)
        defer { fixture.directory.cleanup() }
        let expected = fixture.input.map(Self.outputLine)
        let shards = try Self.writeShards(expected, count: 4, in: fixture.directory)
        #expect((0..<4).allSatisfy { !fixture.directory.read("stage.\($0)-of-4.ndjson").isEmpty })

        let summary = try fixture.merge(shards.shuffled())
        #expect(summary == .init(records: 500, errorRecords: 0, shards: 4))
        #expect(fixture.directory.read("out.ndjson") == expected.map { $0 + "\n" }.joined())
    }

    @Test func aMissingShardIsNamedWithItsCheckpointAndNothingIsWritten() throws {
        let fixture = Fixture(records: 40)
        defer { fixture.directory.cleanup() }
        let shards = try Self.writeShards(fixture.input.map(Self.outputLine), count: 3, in: fixture.directory)
        try FileSystem.rename(shards[1], to: shards[1] + ".part")

        let partial = fixture.refusal(shards)
        #expect(partial == .missingShard(path: shards[1], partial: true))
        #expect(partial?.message.hasPrefix("\(shards[1]): missing; \(shards[1]).part is an unfinished shard output") == true)

        try FileSystem.remove(shards[1] + ".part")
        #expect(fixture.refusal(shards) == .missingShard(path: shards[1], partial: false))
    }

    @Test func aShardFileWithACutLastLineIsRefusedAsPartial() throws {
        let fixture = Fixture(records: 40)
        defer { fixture.directory.cleanup() }
        let shards = try Self.writeShards(fixture.input.map(Self.outputLine), count: 2, in: fixture.directory)
        let name = "stage.0-of-2.ndjson"
        fixture.directory.write(name, String(fixture.directory.read(name).dropLast(7)))

        #expect(fixture.refusal(shards) == .tornShard(path: shards[0]))
    }

    @Test func aRecordInTwoShardFilesOrTwiceInOneIsRefusedWithItsLine() throws {
        let fixture = Fixture(records: 30)
        defer { fixture.directory.cleanup() }
        // Shard files without a K-of-N name (no shard check): the same record twice.
        let output = fixture.input.map(Self.outputLine)
        fixture.directory.write("a.ndjson", output[0..<20].map { $0 + "\n" }.joined())
        fixture.directory.write("b.ndjson", output[15..<30].map { $0 + "\n" }.joined())

        let error = fixture.refusal([fixture.directory.file("a.ndjson"), fixture.directory.file("b.ndjson")])
        // The first untaken copy: img_15's second one, line 1 of b (a's copy came first in file order).
        #expect(error == .extraRecord(path: fixture.directory.file("b.ndjson"), line: 1, key: "img_15"))
        #expect(error?.message.contains("duplicated or not in the input") == true)
    }

    @Test func anInputRecordNoShardAnsweredIsRefusedWithItsInputLine() throws {
        let fixture = Fixture(records: 30)
        defer { fixture.directory.cleanup() }
        var output = fixture.input.map(Self.outputLine)
        output.remove(at: 17)
        let shards = try Self.writeShards(output, count: 2, in: fixture.directory)

        let error = fixture.refusal(shards)
        #expect(error == .missingRecord(input: fixture.inputPath, line: 18, key: "img_17"))
        #expect(error?.message == "\(fixture.inputPath):18: id \"img_17\" is in no shard output (a shard missed it): rerun the shards, then merge")
    }

    @Test func aRecordInAnotherShardsFileIsRefused() throws {
        let fixture = Fixture(records: 30)
        defer { fixture.directory.cleanup() }
        let shards = try Self.writeShards(fixture.input.map(Self.outputLine), count: 2, in: fixture.directory)
        // One shard alone lacks the other's records; shard 1's records under shard 0's name are misplaced.
        let error = fixture.refusal([shards[0]])
        #expect(error.map { if case .missingRecord = $0 { true } else { false } } == true)
        try FileSystem.rename(shards[0], to: fixture.directory.file("x"))
        try FileSystem.rename(shards[1], to: shards[0])
        let misplaced = fixture.refusal([shards[0]])
        #expect(misplaced.map { if case .wrongShard(let path, 1, _, "1/2") = $0 { path == shards[0] } else { false } } == true)
    }

    @Test func errorRecordsDuplicatesAndBadLinesPassThroughInTheirPlaces() throws {
        let lines = [
            #"{"id":"a","n":1}"#,
            #"{"id":"b","n":2,"error":{"stage":"s3fetch","code":"not_found","message":"gone","retryable":false}}"#,
            #"not json"#,
            #"{"id":"a","n":4}"#,
            #"{"id":"c","n":5}"#,
        ]
        let fixture = Fixture(lines: lines)
        defer { fixture.directory.cleanup() }
        let input = fixture.inputPath
        // What one tool run writes: the duplicate at once (before a's answer), the bad line's
        // error keyed by its line, the upstream error unchanged, the answers when they come.
        let duplicate = #"{"id":"a","n":4,"error":{"stage":"t","code":"duplicate_id","message":"dup","retryable":false}}"#
        let badLine = #"{"input":"\#(input)","line":3,"raw":"not json","error":{"stage":"t","code":"bad_input","message":"bad","retryable":false}}"#
        let output = [duplicate, lines[1], badLine, #"{"id":"c","n":5,"stage":"done"}"#, #"{"id":"a","n":1,"stage":"done"}"#]
        let shards = try Self.writeShards(output, count: 3, in: fixture.directory)

        let summary = try fixture.merge(shards)
        #expect(summary == .init(records: 5, errorRecords: 3, shards: 3))
        let merged = [output[4], output[1], output[2], output[0], output[3]]
        #expect(fixture.directory.read("out.ndjson") == merged.map { $0 + "\n" }.joined())
    }

    @Test func shardFilesAreNamedKOfNBeforeTheExtensionAndTheIndexTakesSixteenBytesARecord() throws {
        #expect(try ShardMerge.shardPaths(of: "work/REAL/fetched.ndjson", count: 3)
                == ["work/REAL/fetched.0-of-3.ndjson", "work/REAL/fetched.1-of-3.ndjson", "work/REAL/fetched.2-of-3.ndjson"])
        #expect(ShardMerge.shardPath(of: "a.b/out", shard: try Shard(index: 1, count: 2)) == "a.b/out.1-of-2")
        #expect(ShardMerge.shard(named: "work/x.y/fetched.3-of-8.ndjson") == (try Shard(index: 3, count: 8)))
        #expect(ShardMerge.shard(named: "work/fetched.ndjson") == nil)
        #expect(MemoryLayout<ShardIndex.Entry>.stride == 16)
    }
}
