// S3ScaleTests: s3ls over long lists, as built, against bench/scale/fake_listing.py — a
// ListObjectsV2 endpoint that makes its keys up page by page, so the real client path is used
// without storing the objects. The ids, matches, duplicates and summary are those of the
// contract's rule (IDAssigner, in memory) and of the listing's own rule; the file, stdin and -o
// runs agree byte for byte; and the peak RSS stays flat in the list's length.
import Foundation
import Records
import Testing
import TestUtilities

@Suite(.serialized) struct S3ScaleTests {
    /// A fake listing of `count` keys `set/img_%08d.jpg` (and `.png` beside every `ambiguous`-th).
    struct FakeListing {
        let count: Int
        let ambiguous: Int
        let port: Int

        init(count: Int, ambiguous: Int) throws {
            let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
            let directory = TestSupport.temporaryDirectory("fake-listing")
            let script = TestSupport.packageRoot + "/bench/scale/fake_listing.py"
            try ProcessRunner.spawnGuardian("exec \"\(python)\" \"\(script)\" \(count) --ambiguous \(ambiguous) > \"\(directory)/port\" 2> \"\(directory)/log\"")
            var port = 0
            let ready = waitUntil(timeout: 30) {
                port = Int(String(decoding: TestSupport.readFile(directory + "/port") ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                return port > 0
            }
            guard ready else { throw TestFailure("the fake listing did not start; see \(directory)/log") }
            self.count = count
            self.ambiguous = ambiguous
            self.port = port
        }

        var environment: [String: String] {
            ["AWS_ACCESS_KEY_ID": "fake", "AWS_SECRET_ACCESS_KEY": "fake-secret", "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)",
             "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
             "HOME": TestSupport.temporaryDirectory("fake-listing-home"), "PATH": "/usr/bin:/bin"]
        }

        /// The keys stored for a stem, by the listing's rule.
        func keys(stem: String) -> [String] {
            guard stem.hasPrefix("img_"), stem.count == 12, let i = Int(stem.dropFirst(4)), i < count else { return [] }
            return ambiguous > 0 && i % ambiguous == 0 ? ["set/\(stem).jpg", "set/\(stem).png"] : ["set/\(stem).jpg"]
        }
    }

    /// A shuffled list with every case: found, found under another extension, same stems,
    /// names listed twice, ambiguous stems, missing names, a name whose stem is another's name.
    static func list(listing: FakeListing) -> [String] {
        var random = SplitMix64(seed: 17)
        var names: [String] = []
        for i in 0..<listing.count where i % 3 != 2 { names.append(String(format: "img_%08d.jpg", i)) }
        for i in stride(from: 1, to: listing.count, by: 7) { names.append(String(format: "img_%08d.png", i)) }   // same stem
        for i in stride(from: 2, to: listing.count, by: 11) { names.append(String(format: "img_%08d.webp", i)) }  // other extension
        for i in stride(from: 0, to: listing.count, by: 13) { names.append(String(format: "img_%08d.jpg", i)) }   // listed twice
        for i in 0..<40 { names.append("missing_\(i).jpg") }
        names += ["img_00000004.jpg.png", "noextension", String(format: "img_%08d.jpg", listing.count + 5)]
        names.shuffle(using: &random)
        return names
    }

    @Test func aLongListMatchesByTheContractsRuleFromAFileStdinAndIntoO() throws {
        let listing = try FakeListing(count: 3_000, ambiguous: 50)
        let scratch = Scratch()
        let names = Self.list(listing: listing)
        scratch.write("names.csv", "filename\n" + names.joined(separator: "\n") + "\n")
        let fromFile = try TestSupport.run("s3ls", ["s3://lake/set/", scratch.file("names.csv")], environment: listing.environment, scratch: scratch.path)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let records = try #require(parseRecords(fromFile.stdoutLines))

        // The expected records, by the in-memory id rule and the listing's rule. Duplicates come
        // first (written as the list is read), then every other name in list order.
        var ids = IDAssigner()
        var duplicates: [(id: String, name: String)] = []
        var listed: [(id: String, name: String)] = []
        for name in names {
            switch ids.assign(name: name) {
            case .unique(let id): listed.append((id, name))
            case .duplicate(let id): duplicates.append((id, name))
            }
        }
        #expect(records.count == names.count)
        #expect(records.prefix(duplicates.count).map { $0.id ?? "" } == duplicates.map(\.id))
        #expect(records.prefix(duplicates.count).allSatisfy { $0.error?.code == "duplicate_id" })
        var found = 0, ambiguous = 0, otherExtension = 0
        for (record, expected) in zip(records.dropFirst(duplicates.count), listed) {
            #expect(record.id == expected.id && record["name"]?.stringValue == expected.name)
            let keys = listing.keys(stem: String(IDAssigner.stem(expected.name[...])))
            guard !keys.isEmpty else {
                #expect(record.error?.code == "not_found", "\(expected.name)")
                continue
            }
            // The exact name first, else key order; the other keys are alternatives.
            let chosen = keys.first { $0.hasSuffix("/" + expected.name) } ?? keys[0]
            #expect(record["key"]?.stringValue == chosen, "\(expected.name)")
            #expect((record["alternatives"]?.arrayValue?.compactMap(\.stringValue) ?? []) == keys.filter { $0 != chosen })
            found += 1
            if keys.count > 1 { ambiguous += 1 }
            if !chosen.hasSuffix("/" + expected.name) { otherExtension += 1 }
        }
        let missing = listed.count - found
        #expect(duplicates.count > 100 && ambiguous > 10 && otherExtension > 100 && missing > 40)
        #expect(fromFile.stderr.contains("listed \(listed.count) (+\(duplicates.count) listed twice: duplicate_id error records), found \(found) (\(otherExtension) under another extension), missing \(missing) (first 10: "),
                "\(fromFile.stderr)")
        #expect(fromFile.stderr.contains(", ambiguous \(ambiguous), "), "\(fromFile.stderr)")

        // The same bytes from stdin (but the input's name in the duplicates' messages), and in -o.
        let fromStdin = try TestSupport.run("s3ls", ["s3://lake/set/"], stdin: scratch.file("names.csv"),
                                            environment: listing.environment, scratch: scratch.path)
        #expect(fromStdin.status == 0)
        #expect(fromStdin.stdout == fromFile.stdout.replacingOccurrences(of: scratch.file("names.csv") + ":", with: "stdin:"))
        let intoO = try TestSupport.run("s3ls", ["s3://lake/set/", scratch.file("names.csv"), "-o", scratch.file("listed.ndjson")],
                                        environment: listing.environment, scratch: scratch.path)
        #expect(intoO.status == 0)
        #expect(scratch.read("listed.ndjson") == fromFile.stdout)
        // The spool files had no names: nothing but the output is left beside it.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("s3ls-") || $0.hasPrefix("ids-") }
        #expect(left.isEmpty)
    }

    @Test func peakMemoryStaysFlatInTheListsLength() throws {
        // 60,000 names against 60,000 keys: the in-memory matcher of before took 67 MB here (and
        // 270 MB at a million); the spooled one stays within a few MB of a one-name run.
        let count = 60_000
        let listing = try FakeListing(count: count, ambiguous: 1_000)
        let scratch = Scratch()
        scratch.write("names.txt", (0..<count).map { String(format: "img_%08d.jpg", $0) }.joined(separator: "\n") + "\n")
        scratch.write("one.txt", "img_00000001.jpg\n")
        let one = try Self.runMeasured(["s3://lake/set/", scratch.file("one.txt")], listing: listing, scratch: scratch)
        let all = try Self.runMeasured(["s3://lake/set/", scratch.file("names.txt")], listing: listing, scratch: scratch)
        #expect(one.status == 0 && all.status == 0, "\(all.stderr)")
        #expect(all.lines == count && one.lines == 1)
        #expect(all.stderr.contains("found \(count), missing 0, ambiguous \(count / 1_000)"), "\(all.stderr)")
        #expect(all.peakMB < one.peakMB + 8, "one name: \(one.peakMB) MB, \(count) names: \(all.peakMB) MB")
        #expect(all.peakMB < 50, "\(all.peakMB) MB")
    }

    struct Measured {
        var status: Int32
        var lines: Int
        var stderr: String
        var peakMB: Double
    }

    /// Runs s3ls under a small Python parent that reads its peak RSS (the kernel keeps a
    /// parent's peak across fork and exec, so the test process cannot spawn it itself).
    static func runMeasured(_ arguments: [String], listing: FakeListing, scratch: Scratch) throws -> Measured {
        let name = "s3ls-\(UInt32.random(in: 0...UInt32.max))"
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
        let measure = TestSupport.packageRoot + "/bench/scale/measure.py"
        let outcome = try ProcessRunner.run(python, [measure, "/dev/null", scratch.file(name), scratch.file(name + ".err"), "--",
                                                     ToolProcess.path("s3ls")] + arguments,
                                            replacingEnvironment: listing.environment)
        let fields = outcome.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard outcome.status == 0, fields.count == 5 else { throw TestFailure("no measurement (status \(outcome.status)): \(outcome.stdout) \(outcome.stderr)") }
        return Measured(status: Int32(fields[0]), lines: scratch.read(name).split(separator: "\n").count,
                        stderr: scratch.read(name + ".err"), peakMB: fields[1])
    }
}
