// One listed name, one id, one output: a duplicate id in a tool's input is a duplicate_id error
// record (counted, never skipped), also after a resume, in every shard and down a pipe; ids
// given to plain paths follow the list rule, and same-stem images become distinct files.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct IdentityTests {
    static let input = """
        {"id":"x0","n":0}
        {"id":"x1","n":1}
        {"id":"x0","n":2}
        {"id":"x2","n":3}
        {"id":"x0","n":4}

        """

    static func codes(_ records: [Record]) -> [String] {
        records.map { $0.error?.code ?? "ok" }
    }

    @Test func aSecondRecordWithAnIdIsADuplicateIdErrorRecordAndCounted() throws {
        let result = try ToolProcess.run("record-pass", [], input: Self.input)
        #expect(result.status == 0)
        let records = strictRecords(result.stdout)
        #expect(records.compactMap { $0["n"]?.intValue } == [0, 1, 2, 3, 4], "nothing dropped, nothing merged")
        #expect(Self.codes(records) == ["ok", "ok", "duplicate_id", "ok", "duplicate_id"])
        #expect(records[2]["passed"] == nil, "a duplicate is not processed")
        #expect(records[2].error?.message.contains("stdin:3: id \"x0\" was already taken") == true, "\(records[2])")
        #expect(result.stderr.contains("record-pass: 3 ok, 2 failed (2 duplicate_id)"), "\(result.stderr)")
        let strict = try ToolProcess.run("record-pass", ["--strict"], input: Self.input)
        #expect(strict.status == 3)
    }

    @Test func aRerunWithTheSameOutputReportsTheDuplicatesAgainInsteadOfSkippingThem() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("in.ndjson", Self.input)
        let output = scratch.file("out.ndjson")
        let first = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
        #expect(first.status == 0)
        for rerunNumber in 1...2 {
            let rerun = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
            #expect(rerun.stderr.contains("0 ok, 2 failed (2 duplicate_id), 3 skipped (already done)"), "rerun \(rerunNumber): \(rerun.stderr)")
            let records = try #require(parseRecords(scratch.lines("out.ndjson")))
            #expect(records.count == 5)
            #expect(records.filter { !$0.hasError }.compactMap { $0["n"]?.intValue } == [0, 1, 3])
            #expect(records.filter(\.hasError).compactMap { $0["n"]?.intValue } == [2, 4])
            expectUniqueIDs(records.filter { !$0.hasError }, count: 3)
        }
        // Keeping errors: the duplicates are in the file already and are not written twice.
        let kept = try ToolProcess.run("record-pass", ["--no-retry-errors", "-o", output, scratch.file("in.ndjson")])
        #expect(kept.stderr.contains("0 ok, 0 failed, 5 skipped"), "\(kept.stderr)")
        #expect(scratch.lines("out.ndjson").count == 5)
    }

    @Test func killedMidRunAndResumedEveryLineEndsOnceAndDuplicatesStayErrors() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // 200 ids, every tenth repeated right after the next one.
        var lines: [String] = []
        for n in 0..<200 {
            lines.append("{\"id\":\"x\(n)\",\"n\":\(lines.count)}")
            if n % 10 == 9 { lines.append("{\"id\":\"x\(n - 1)\",\"n\":\(lines.count)}") }
        }
        scratch.write("in.ndjson", lines.joined(separator: "\n") + "\n")
        let output = scratch.file("out.ndjson")
        let process = try ToolProcess.start("record-pass", ["--delay-ms", "3", "-o", output, scratch.file("in.ndjson")],
                                            stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"))
        let started = waitUntil { scratch.lines("out.ndjson").count >= 40 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(started)
        #expect(scratch.lines("out.ndjson").count < lines.count, "killed before the end")
        let rerun = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
        #expect(rerun.status == 0)
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap { $0["n"]?.intValue }.sorted() == Array(0..<lines.count), "every input line once")
        expectUniqueIDs(records.filter { !$0.hasError }, count: 200)
        #expect(records.filter { $0.error?.code == "duplicate_id" }.count == 20)
    }

    @Test func shardsFindTheSameDuplicatesAsOneRun() throws {
        let whole = strictRecords(try ToolProcess.run("record-pass", [], input: Self.input).stdout)
        var union: [Record] = []
        for k in 0..<3 {
            union += strictRecords(try ToolProcess.run("record-pass", ["--shard", "\(k)/3"], input: Self.input).stdout)
        }
        let key = { (r: Record) in "\(r["n"]?.intValue ?? -1) \(r.error?.code ?? "ok")" }
        #expect(union.map(key).sorted() == whole.map(key).sorted())
    }

    @Test func downAPipeTheNextToolPassesTheDuplicateOnWithoutAnotherError() throws {
        let first = try ToolProcess.run("record-pass", [], input: Self.input)
        let second = try ToolProcess.run("record-pass", ["--set", "second=yes"], input: first.stdout)
        let records = strictRecords(second.stdout)
        #expect(Self.codes(records) == ["ok", "ok", "duplicate_id", "ok", "duplicate_id"])
        #expect(records.filter(\.hasError).allSatisfy { $0.error?.stage == "record-pass" && $0["second"] == nil })
        #expect(second.stderr.contains("3 ok, 0 failed, 2 upstream errors passed on"), "\(second.stderr)")
    }

    @Test func anUpstreamErrorSharingAnIdWithARetriedRecordIsNeitherSwallowedNorADuplicate() throws {
        // A resumed upstream file can hold a record's old error before its retried success.
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("in.ndjson", """
            {"id":"a","error":{"stage":"up","code":"duplicate_id","message":"m","retryable":false}}
            {"id":"a","n":1}
            {"id":"b","n":2}

            """)
        let output = scratch.file("out.ndjson")
        for _ in 0..<2 {
            let run = try ToolProcess.run("record-pass", ["-o", output, scratch.file("in.ndjson")])
            #expect(run.status == 0)
            let records = try #require(parseRecords(scratch.lines("out.ndjson")))
            #expect(records.count == 3, "\(records)")
            #expect(records.filter { $0["passed"]?.stringValue == "yes" }.compactMap(\.id).sorted() == ["a", "b"])
            #expect(records.filter(\.hasError).count == 1)
        }
    }

    @Test func plainPathsGetIdsByTheListRule() throws {
        // Stem, then full name, then the whole path (a third folder); a path listed twice is a
        // duplicate; a path is taken as written, spaces and all.
        let input = "photos/x.jpg\nphotos/x.png\nother/x.jpg\nthird/x.jpg\n photos/x.webp \nphotos/x.png\n"
        let result = try ToolProcess.run("record-pass", ["--text"], input: input)
        let records = strictRecords(result.stdout)
        #expect(records.compactMap(\.id) == ["x", "x.png", "x.jpg", "third/x.jpg", "x.webp ", "x.png"])
        #expect(records.compactMap { $0["path"]?.stringValue }[4] == " photos/x.webp ")
        #expect(Self.codes(records) == ["ok", "ok", "ok", "ok", "ok", "duplicate_id"])
        #expect(records.first?.keys == ["id", "path", "passed"])
    }

    @Test func sameStemImagesOfThreeFormatsBecomeThreeResizedFiles() throws {
        let scratch = ImageResizeTests.scratchWithImages([])
        defer { scratch.remove() }
        for (fixture, name) in [("upright.jpg", "hopper.jpg"), ("alpha.png", "hopper.png"), ("lossy.webp", "hopper.webp")] {
            try FileManager.default.copyItem(atPath: ImageResizeTests.fixtures + "/" + fixture, toPath: scratch.file("images/" + name))
        }
        let out = scratch.file("out")
        let paths = ["hopper.jpg", "hopper.png", "hopper.webp"].map { scratch.file("images/" + $0) }
        let result = try ToolProcess.run("img-resize", ["--out-dir", out, "--max-size", "64", "--jobs", "2"] + paths)
        #expect(result.status == 0, "\(result.stderr)")
        let records = strictRecords(result.stdout)
        expectUniqueIDs(records, count: 3)
        #expect(records.compactMap(\.id) == ["hopper", "hopper.png", "hopper.webp"])
        let outputs = records.compactMap { $0["image"]?["path"]?.stringValue }
        #expect(outputs == ["hopper", "hopper.png", "hopper.webp"].map { out + "/" + $0 + ".jpg" })
        #expect(records.compactMap { $0["image"]?["source_format"]?.stringValue } == ["jpeg", "png", "webp"])
        #expect(PipelineSupport.files(under: out).count == 3)
        for (record, path) in zip(records, outputs) {
            #expect(FileManager.default.contents(atPath: path)?.count == record["image"]?["bytes"]?.intValue)
        }
        // Ids that only differ where a file name cannot (a slash) still get two files.
        let slashed = "{\"id\":\"a/b\",\"path\":\"\(paths[0])\"}\n{\"id\":\"a_b\",\"path\":\"\(paths[1])\"}\n"
        let second = try ToolProcess.run("img-resize", ["--out-dir", out + "2", "--max-size", "64"], input: slashed)
        let files = strictRecords(second.stdout).compactMap { $0["image"]?["path"]?.stringValue }
        #expect(files.count == 2 && Set(files).count == 2, "\(files)")
        #expect(PipelineSupport.files(under: out + "2").count == 2)
    }
}
