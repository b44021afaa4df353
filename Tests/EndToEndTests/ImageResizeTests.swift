// img-resize as a real process: records and plain paths in, resized files and records out;
// directories walked; error records for every image it cannot shrink; -o resume; --jobs order.
import Foundation
import Testing
import Records
import TestUtilities

@Suite struct ImageResizeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ImagingTests/Fixtures").path

    /// A scratch folder with copies of fixtures (and a truncated JPEG) under `images/`.
    static func scratchWithImages(_ names: [String]) -> Scratch {
        let scratch = Scratch()
        try? FileManager.default.createDirectory(atPath: scratch.file("images"), withIntermediateDirectories: true)
        for name in names {
            try? FileManager.default.copyItem(atPath: fixtures + "/" + name, toPath: scratch.file("images/" + name))
        }
        if let jpeg = FileManager.default.contents(atPath: fixtures + "/upright.jpg") {
            _ = FileManager.default.createFile(atPath: scratch.file("images/truncated.jpg"), contents: jpeg.prefix(jpeg.count / 2))
        }
        return scratch
    }

    static func record(_ id: String, _ path: String, extra: String = "") -> String {
        "{\"id\":\"\(id)\",\"path\":\"\(path)\"\(extra)}\n"
    }

    @Test func recordsInResizedFilesAndImageFieldsOut() throws {
        let scratch = Self.scratchWithImages(["upright.jpg", "orientation-6.jpg", "alpha.png", "lossy.webp", "unsupported.gif"])
        defer { scratch.remove() }
        let images = scratch.file("images")
        let input = Self.record("a", images + "/upright.jpg", extra: ",\"bytes\":1")
            + Self.record("b", images + "/orientation-6.jpg")
            + Self.record("c", images + "/alpha.png")
            + Self.record("d", images + "/lossy.webp")
            + Self.record("e", images + "/unsupported.gif")
            + Self.record("f", images + "/truncated.jpg")
            + Self.record("g", images + "/missing.jpg")
            + "{\"id\":\"h\",\"name\":\"no path\"}\n"
        let out = scratch.file("out")
        let result = try ToolProcess.run("img-resize", ["--out-dir", out, "--max-size", "100", "--jobs", "2"], input: input)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.compactMap(\.id) == ["a", "b", "c", "d", "e", "f", "g", "h"])

        for (index, (width, height, format)) in [(100, 60, "jpeg"), (100, 60, "jpeg"), (100, 60, "png"), (100, 60, "webp")].enumerated() {
            let record = records[index]
            let image = try #require(record["image"]?.objectValue, "\(record.id!) has image")
            #expect(image.keys == ["path", "width", "height", "bytes", "source_width", "source_height", "source_format"])
            #expect(image["width"]?.intValue == width && image["height"]?.intValue == height)
            #expect(image["source_format"]?.stringValue == format)
            let path = try #require(image["path"]?.stringValue)
            #expect(path == out + "/" + record.id! + ".jpg")
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.size] as? Int) == image["bytes"]?.intValue)
            #expect(FileManager.default.contents(atPath: path)?.starts(with: [0xFF, 0xD8, 0xFF]) == true)
        }
        #expect(records[0].keys == ["id", "path", "bytes", "image"], "fields passed through in order, image added")
        #expect(records[0]["bytes"]?.intValue == 1)
        #expect(records[1]["image"]?.objectValue?["source_width"]?.intValue == 192, "stored turned; source size as stored")
        #expect(records[4].error?.code == "unsupported_format")
        #expect(records[5].error?.code == "corrupt")
        #expect(records[6].error?.code == "io_error")
        #expect(records[7].error?.code == "bad_input")
        #expect(records[4...7].allSatisfy { $0.error?.stage == "img-resize" && $0["image"] == nil })
        let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(written == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], "final names only, no temporary files")
        #expect(result.stderr.contains("img-resize: 4 ok, 4 failed"))
    }

    @Test func directoriesAreWalkedAndEveryImageFileBecomesARecord() throws {
        let scratch = Self.scratchWithImages(["upright.jpg", "source.png", "unsupported.bmp"])
        defer { scratch.remove() }
        let nested = scratch.file("images/nested/deeper")
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/small.jpg", toPath: nested + "/Holiday.JPEG")
        scratch.write("images/notes.txt", "not an image")
        let result = try ToolProcess.run("img-resize", ["--out-dir", scratch.file("out"), "-q", scratch.file("images")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.compactMap(\.id).sorted() == ["Holiday", "source", "truncated", "unsupported", "upright"])
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0) })
        #expect(byID["Holiday"]?["path"]?.stringValue == nested + "/Holiday.JPEG")
        #expect(byID["Holiday"]?["image"]?.objectValue?["width"]?.intValue == 100, "small images are not enlarged")
        #expect(byID["unsupported"]?.error?.code == "unsupported_format")
        #expect(byID["truncated"]?.error?.code == "corrupt")
        #expect(byID["upright"]?["image"]?.objectValue?["width"]?.intValue == 320)
    }

    @Test func plainPathsOnStdinGetTheirFileNameAsID() throws {
        let scratch = Self.scratchWithImages(["upright.jpg", "source.png"])
        defer { scratch.remove() }
        let input = scratch.file("images/upright.jpg") + "\n" + scratch.file("images/source.png") + "\n"
        let result = try ToolProcess.run("img-resize", ["--out-dir", scratch.file("out"), "--format", "png", "--max-size", "64"], input: input)
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.compactMap(\.id) == ["upright", "source"])
        let image = try #require(records[0]["image"]?.objectValue)
        #expect(image["path"]?.stringValue == scratch.file("out/upright.png"))
        #expect(image["width"]?.intValue == 64 && image["height"]?.intValue == 38)
        #expect(FileManager.default.contents(atPath: scratch.file("out/upright.png"))?.starts(with: [0x89, 0x50]) == true)
    }

    @Test func resumeSkipsFinishedIDsAndRetriesErrors() throws {
        let scratch = Self.scratchWithImages(["upright.jpg", "source.png"])
        defer { scratch.remove() }
        let images = scratch.file("images")
        scratch.write("in.ndjson", Self.record("one", images + "/upright.jpg") + Self.record("two", images + "/later.png")
            + Self.record("three", images + "/source.png"))
        let arguments = ["--out-dir", scratch.file("out"), "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        let first = try ToolProcess.run("img-resize", arguments)
        #expect(first.status == 0)
        #expect(scratch.lines("out.ndjson").count == 3)
        #expect(try #require(parseRecords(scratch.lines("out.ndjson")))[1].error?.code == "io_error")

        try FileManager.default.copyItem(atPath: images + "/source.png", toPath: images + "/later.png")
        let oneBefore = try FileManager.default.attributesOfItem(atPath: scratch.file("out/one.jpg"))[.modificationDate] as? Date
        let second = try ToolProcess.run("img-resize", arguments)
        #expect(second.status == 0)
        #expect(second.stderr.contains("2 skipped (already done)"))
        #expect(second.stderr.contains("img-resize: 1 ok, 0 failed"))
        let records = try #require(parseRecords(scratch.lines("out.ndjson")))
        #expect(records.compactMap(\.id).sorted() == ["one", "three", "two"])
        #expect(records.allSatisfy { !$0.hasError && $0["image"] != nil })
        let oneAfter = try FileManager.default.attributesOfItem(atPath: scratch.file("out/one.jpg"))[.modificationDate] as? Date
        #expect(oneBefore == oneAfter, "finished images are not redone")
    }

    @Test func parallelWorkersKeepTheInputOrder() throws {
        let scratch = Self.scratchWithImages(["upright.jpg", "source.png", "lossy.webp"])
        defer { scratch.remove() }
        let names = ["upright.jpg", "source.png", "lossy.webp", "truncated.jpg"]
        let input = (0..<40).map { Self.record("r\($0)", scratch.file("images/" + names[$0 % names.count])) }.joined()
        let result = try ToolProcess.run("img-resize", ["--out-dir", scratch.file("out"), "--jobs", "3", "--max-size", "50"], input: input)
        let records = try #require(parseRecords(result.stdoutLines))
        #expect(records.compactMap(\.id) == (0..<40).map { "r\($0)" })
        #expect(records.filter(\.hasError).count == 10)
    }

    @Test func strictAndUsageErrorsSetTheExitStatus() throws {
        let scratch = Self.scratchWithImages([])
        defer { scratch.remove() }
        let failing = Self.record("x", scratch.file("images/truncated.jpg"))
        #expect(try ToolProcess.run("img-resize", ["--out-dir", scratch.file("out"), "--strict"], input: failing).status == 3)
        #expect(try ToolProcess.run("img-resize", ["--out-dir", scratch.file("out")], input: failing).status == 0)
        for bad in [["--quality", "0"], ["--format", "gif"], ["--background", "white"], ["--jobs", "0"], ["--max-size", "0"]] {
            let result = try ToolProcess.run("img-resize", bad, input: "")
            #expect(result.status == 2, "\(bad) → \(result.status)")
        }
    }

    @Test func maxSizeComesFromTheConfigFileWhenNoFlagIsGiven() throws {
        let scratch = Self.scratchWithImages(["upright.jpg"])
        defer { scratch.remove() }
        scratch.write("config.yaml", "processing:\n  image_max_size: 80\n")
        let input = Self.record("u", scratch.file("images/upright.jpg"))
        let result = try ToolProcess.run("img-resize", ["--config", scratch.file("config.yaml"), "--out-dir", scratch.file("out")], input: input)
        let record = try #require(parseRecords(result.stdoutLines)?.first)
        #expect(record["image"]?.objectValue?["width"]?.intValue == 80)
        let flagged = try ToolProcess.run("img-resize", ["--config", scratch.file("config.yaml"), "--max-size", "90", "--out-dir", scratch.file("out")], input: input)
        #expect(try #require(parseRecords(flagged.stdoutLines)?.first)["image"]?.objectValue?["width"]?.intValue == 90)
    }
}
