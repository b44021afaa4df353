// S3EndToEndTests: s3ls and s3fetch as built, in real processes, against two real S3 servers
// (SeaweedFS and moto; every test runs on both) — pagination, extension-agnostic and ambiguous matches, odd keys, missing names, keys that
// would escape --dir, kill -9 and resume, and faults injected by a proxy.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import S3
import Testing

@Suite(.serialized) struct S3EndToEndTests {
    /// A fresh bucket filled with `objects` (key → bytes); returns the scratch directory.
    func bucket(_ server: S3TestServer, _ name: String, _ objects: [(String, [UInt8])]) throws -> String {
        try server.filledBucket(name, objects)
    }

    @Test(arguments: S3TestServer.Kind.allCases) func listingFollowsContinuationTokensOverThousandsOfKeys(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let count = 2_600
        let client = try server.client()
        try client.createBucket("pages")
        for i in 0..<count { try client.putObject(bucket: "pages", key: "set/\(i % 7)/img_\(i).jpg", body: [UInt8(i & 255)]) }
        try client.putObject(bucket: "pages", key: "other/img_0.jpg", body: [1])
        let scratch = TestSupport.temporaryDirectory("pages")
        let env = try server.environment(home: scratch)
        let all = try TestSupport.run("s3ls", ["--all", "s3://pages/set/"], environment: env, scratch: scratch)
        #expect(all.status == 0, "\(all.stderr)")
        let keys = Set(all.records.compactMap { $0["key"]?.stringValue })
        #expect(keys.count == count)
        #expect(keys == Set((0..<count).map { "set/\($0 % 7)/img_\($0).jpg" }))

        // Matching a list against the same 2,600 keys: the last page's names are found too.
        let names = (0..<count).filter { $0 % 100 == 99 }.map { "img_\($0).png" } + ["img_99999.jpg"]
        try TestSupport.writeFile(scratch + "/names.txt", Array(names.joined(separator: "\n").utf8))
        let matched = try TestSupport.run("s3ls", ["s3://pages/set/", scratch + "/names.txt"], environment: env, scratch: scratch)
        #expect(matched.status == 0)
        #expect(matched.records.count == names.count)
        #expect(matched.records.filter { $0["key"] != nil }.count == names.count - 1)
        #expect(matched.records.last?.error?.code == "not_found")
        #expect(matched.stderr.contains("missing 1"))
    }

    @Test(arguments: S3TestServer.Kind.allCases) func matchesAcrossExtensionsWithAmbiguityOddKeysAndMissingNames(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let objects: [(String, [UInt8])] = [
            ("lake/GEN/part1/dalle2_aaa_gen.png", TestSupport.bytes(count: 70_000, seed: 1)),
            ("lake/REAL/p/real_b.jpg", TestSupport.bytes(count: 1_000, seed: 2)),
            ("lake/REAL/q/real_b.jpg", TestSupport.bytes(count: 1_001, seed: 3)),
            ("lake/GEN/c.jpg", TestSupport.bytes(count: 10, seed: 4)),
            ("lake/GEN/c.webp", TestSupport.bytes(count: 11, seed: 5)),
            ("lake/odd/sp ace+plus%pct=eq&amp.jpg", TestSupport.bytes(count: 12, seed: 6)),
            ("lake/odd/ünï cödé 画像.jpg", TestSupport.bytes(count: 13, seed: 7)),
        ]
        let scratch = try bucket(server, "match", objects)
        // BOM, CRLF, a header, CSV quoting, a blank line and a duplicate.
        let list = "\u{FEFF}filename\r\ndalle2_aaa_gen.jpg\r\nreal_b.jpg\r\n\r\nc.jpg\r\n\"sp ace+plus%pct=eq&amp.jpg\"\r\nünï cödé 画像.jpg\r\nnot_there.jpg\r\nc.jpg\r\n"
        try TestSupport.writeFile(scratch + "/names.csv", Array(list.utf8))
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--prefer-ext", "webp", "s3://match/lake/", scratch + "/names.csv"],
                                         environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        let byName = Dictionary(listed.records.filter { $0.error?.code != "duplicate_id" }.map { ($0["name"]?.stringValue ?? "", $0) },
                                uniquingKeysWith: { a, _ in a })
        // Seven records: the second c.jpg is one too, a duplicate_id error record.
        #expect(listed.records.count == 7)
        let duplicates = listed.records.filter { $0.error?.code == "duplicate_id" }
        #expect(duplicates.count == 1 && duplicates.first?["name"]?.stringValue == "c.jpg", "\(duplicates)")
        #expect(byName["c.jpg"]?.id == "c")
        #expect(listed.stderr.contains("listed twice"), "\(listed.stderr)")
        #expect(byName["dalle2_aaa_gen.jpg"]?["key"]?.stringValue == "lake/GEN/part1/dalle2_aaa_gen.png")
        #expect(byName["dalle2_aaa_gen.jpg"]?.id == "dalle2_aaa_gen")
        #expect(byName["real_b.jpg"]?["key"]?.stringValue == "lake/REAL/p/real_b.jpg")
        #expect(byName["real_b.jpg"]?["alternatives"] == .array(["lake/REAL/q/real_b.jpg"]))
        #expect(byName["c.jpg"]?["key"]?.stringValue == "lake/GEN/c.webp")
        #expect(byName["sp ace+plus%pct=eq&amp.jpg"]?["size"]?.intValue == 12)
        #expect(byName["ünï cödé 画像.jpg"]?["etag"]?.stringValue == TestSupport.md5(objects[6].1))
        #expect(byName["not_there.jpg"]?.error?.code == "not_found")
        #expect(listed.stderr.contains("ambiguous 2"))
        #expect(listed.stderr.contains("missing 1 (first 1: not_there.jpg)"))

        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", scratch + "/dl"], stdin: scratch + "/listed.ndjson",
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.count == 7)
        for record in fetched.records where record.error == nil {
            let key = record["key"]!.stringValue!
            let expected = objects.first { $0.0 == key }!.1
            let path = record["path"]!.stringValue!
            #expect(path == scratch + "/dl/" + key.split(separator: "/").last!)
            #expect(TestSupport.readFile(path).map(TestSupport.md5) == TestSupport.md5(expected))
            #expect(record["fetch"]?.stringValue == "downloaded")
            #expect(record["verified"]?.stringValue == "md5")
        }
        #expect(fetched.records.filter { $0.error != nil }.allSatisfy { $0.error?.stage == "s3ls" })
        #expect(TestSupport.files(under: scratch + "/dl").filter { $0.hasPrefix("logs/s3fetch-") && $0.hasSuffix(".log") }.count == 1)

        let again = try TestSupport.run("s3fetch", ["--yes", "--dir", scratch + "/dl"], stdin: scratch + "/listed.ndjson",
                                        environment: env, scratch: scratch)
        #expect(again.records.filter { $0["fetch"]?.stringValue == "cached" && $0["verified"]?.stringValue == "md5" }.count == 5)
        #expect(again.stderr.contains("verified by md5 5"), "\(again.stderr)")

        // A file of the right size but other bytes (someone else's) is never overwritten: the
        // object lands beside it as name~hash.ext; the others stay cached.
        let victim = try #require(fetched.records.first { $0.error == nil && ($0["size"]?.intValue ?? 0) > 2 })
        let victimPath = victim["path"]!.stringValue!
        let foreign = (TestSupport.readFile(victimPath) ?? []).map { $0 ^ 0x5A }
        try TestSupport.writeFile(victimPath, foreign)
        let third = try TestSupport.run("s3fetch", ["--yes", "--dir", scratch + "/dl"], stdin: scratch + "/listed.ndjson",
                                        environment: env, scratch: scratch)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.records.filter { $0["fetch"]?.stringValue == "cached" }.count == 4)
        let moved = try #require(third.records.first { $0.id == victim.id })
        #expect(moved["fetch"]?.stringValue == "downloaded")
        let movedPath = try #require(moved["path"]?.stringValue)
        #expect(movedPath != victimPath && movedPath.contains("~"))
        #expect(TestSupport.readFile(victimPath) == foreign)
        #expect(TestSupport.readFile(movedPath).map(TestSupport.md5) == victim["etag"]?.stringValue)
    }

    @Test(arguments: S3TestServer.Kind.allCases) func keysThatWouldLeaveTheDirectoryBecomeErrorRecords(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let scratch = try bucket(server, "escape", [("ok/x.jpg", [1, 2, 3]), ("sub/y.jpg", [4, 5]), ("z.jpg", [6])])
        let outside = scratch + "/outside"
        mkdir(outside, 0o755)
        let dir = scratch + "/dl"
        mkdir(dir, 0o755)
        #expect(symlink(outside, dir + "/sub") == 0)
        #expect(symlink(outside + "/z.jpg", dir + "/z.jpg") == 0)
        let records = [
            #"{"id":"a","bucket":"escape","key":"../../etc/evil.jpg","size":3}"#,
            #"{"id":"b","bucket":"escape","key":"/abs/evil.jpg","size":3}"#,
            #"{"id":"c","bucket":"escape","key":"sub/y.jpg","size":2}"#,
            #"{"id":"d","bucket":"escape","key":"ok/x.jpg","size":3}"#,
            #"{"id":"e","bucket":"escape","key":"z.jpg","size":1}"#,
        ]
        try TestSupport.writeFile(scratch + "/in.ndjson", Array(records.joined(separator: "\n").utf8))
        let env = try server.environment(home: scratch)
        let result = try TestSupport.run("s3fetch", ["--yes", "--keep-paths", "--dir", dir], stdin: scratch + "/in.ndjson",
                                         environment: env, scratch: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let codes = Dictionary(result.records.map { ($0.id ?? "", $0.error?.code ?? "ok") }, uniquingKeysWith: { a, _ in a })
        #expect(codes == ["a": "unsafe_key", "b": "unsafe_key", "c": "unsafe_path", "d": "ok", "e": "unsafe_path"])
        #expect(TestSupport.files(under: outside).isEmpty)
        #expect(TestSupport.readFile(dir + "/ok/x.jpg") == [1, 2, 3])
    }

    @Test(arguments: S3TestServer.Kind.allCases) func killNineThenRerunGivesTheSameFilesAndNoTemporaryFiles(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let objects = (0..<240).map { ("kill/img_\($0).jpg", TestSupport.bytes(count: 150_000 + $0 * 997, seed: UInt64($0 + 100))) }
        let scratch = try bucket(server, "killnine", objects)
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://killnine/kill/"], environment: env, scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let dir = scratch + "/dl"
        let arguments = [try TestSupport.tool("s3fetch"), "--yes", "--concurrency", "2", "--dir", dir, "-o", scratch + "/out.ndjson",
                         scratch + "/listed.ndjson"]
        let pid = try TestSupport.spawn(arguments, stdoutPath: "/dev/null", stderrPath: scratch + "/first.err", environment: env)
        let someDone = TestSupport.waitUntil(deadline: 60) {
            TestSupport.files(under: dir).filter { $0.hasPrefix("img_") }.count >= 20
        }
        kill(pid, SIGKILL)
        _ = TestSupport.wait(pid)
        #expect(someDone)
        let finishedBefore = TestSupport.files(under: dir).filter { $0.hasPrefix("img_") }
        #expect(finishedBefore.count < objects.count, "the kill came too late to test resuming")

        let rerun = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, "-o", scratch + "/out.ndjson", scratch + "/listed.ndjson"],
                                        environment: env, scratch: scratch)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let files = TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") }
        #expect(files == objects.map { String($0.0.split(separator: "/").last!) }.sorted())
        #expect(!files.contains { $0.contains("s3fetch-part") })
        for (key, body) in objects {
            #expect(TestSupport.readFile(dir + "/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        let output = String(decoding: TestSupport.readFile(scratch + "/out.ndjson") ?? [], as: UTF8.self)
        expectUniqueIDs(strictRecords(output), count: objects.count)
    }

    /// Same stems under three extensions, two case variants and two names of one key, a name
    /// with spaces around it, and a name listed twice.
    static let sameStemObjects: [(String, [UInt8])] = zip(
        ["stem1.jpg", "stem1.png", "stem1.webp", "stem2.png", "UPPER.JPG", " leading space.jpg"],
        [40_000, 41_000, 42_000, 900_000, 700_000, 43_000]
    ).enumerated().map { ("ids/" + $0.element.0, TestSupport.bytes(count: $0.element.1, seed: UInt64(101 + $0.offset))) }
    static let sameStemList = "filename\nstem1.jpg\nstem1.png\nstem1.webp\nstem2.png\nstem2.jpg\nUPPER.JPG\nUPPER.jpg\n\" leading space.jpg\"\nstem1.png\n"

    @Test(arguments: S3TestServer.Kind.allCases) func everyListedNameIsOneRecordAndNamesOfOneKeyShareOneDownload(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let scratch = try bucket(server, "identity", Self.sameStemObjects)
        try TestSupport.writeFile(scratch + "/names.csv", Array(Self.sameStemList.utf8))
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["s3://identity/ids/", scratch + "/names.csv"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        let records = listed.records
        #expect(records.count == 9, "one record per listed name")
        let ok = records.filter { !$0.hasError }
        expectUniqueIDs(ok, count: 8)
        let keyByID = Dictionary(uniqueKeysWithValues: ok.map { ($0.id ?? "", $0["key"]?.stringValue ?? "") })
        #expect(keyByID == ["stem1": "ids/stem1.jpg", "stem1.png": "ids/stem1.png", "stem1.webp": "ids/stem1.webp",
                            "stem2": "ids/stem2.png", "stem2.jpg": "ids/stem2.png", "UPPER": "ids/UPPER.JPG",
                            "UPPER.jpg": "ids/UPPER.JPG", " leading space": "ids/ leading space.jpg"])
        let duplicate = try #require(records.first { $0.hasError })
        #expect(duplicate.error?.code == "duplicate_id" && duplicate["name"]?.stringValue == "stem1.png")
        #expect(listed.stderr.contains("1 failed (1 duplicate_id)"), "\(listed.stderr)")
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))

        // Three fresh runs: names of one key never race through one temporary file.
        for attempt in 0..<3 {
            let dir = scratch + "/dl\(attempt)"
            let fetched = try TestSupport.run("s3fetch", ["--yes", "--concurrency", "16", "--dir", dir, "-o", scratch + "/fetched\(attempt).ndjson",
                                                          scratch + "/listed.ndjson"], environment: env, scratch: scratch)
            #expect(fetched.status == 0, "\(fetched.stderr)")
            #expect(fetched.stderr.contains("8 ok, 0 failed, 1 upstream errors passed on"), "\(fetched.stderr)")
            #expect(fetched.stderr.contains("6 downloaded"), "each key once: \(fetched.stderr)")
            let out = strictRecords(String(decoding: TestSupport.readFile(scratch + "/fetched\(attempt).ndjson") ?? [], as: UTF8.self))
            #expect(out.count == 9)
            let pathByID = Dictionary(uniqueKeysWithValues: out.filter { !$0.hasError }.map { ($0.id ?? "", $0["path"]?.stringValue ?? "") })
            #expect(pathByID.count == 8)
            #expect(pathByID["stem2"] == pathByID["stem2.jpg"] && pathByID["UPPER"] == pathByID["UPPER.jpg"])
            #expect(Set(pathByID.values).count == 6)
            for (key, body) in Self.sameStemObjects {
                #expect(TestSupport.readFile(dir + "/" + key.dropFirst(4)).map(TestSupport.md5) == TestSupport.md5(body), "\(key)")
            }
            #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") }.count == 6)
        }
        // A rerun with the same -o: every id is done; the duplicate passes on again, once.
        let rerun = try TestSupport.run("s3fetch", ["--yes", "--dir", scratch + "/dl0", "-o", scratch + "/fetched0.ndjson", scratch + "/listed.ndjson"],
                                        environment: env, scratch: scratch)
        #expect(rerun.stderr.contains("0 ok, 0 failed, 8 skipped (already done), 1 upstream errors passed on"), "\(rerun.stderr)")
        #expect(strictRecords(String(decoding: TestSupport.readFile(scratch + "/fetched0.ndjson") ?? [], as: UTF8.self)).count == 9)
    }

    @Test(arguments: S3TestServer.Kind.allCases) func listingEverythingGivesIdsByTheListRuleWithTheKeyForNamesSeveralFoldersShare(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let objects = ["all/a/x.jpg", "all/b/x.jpg", "all/c/x.jpg", "all/c/x.png", "all/y.jpg"].enumerated().map {
            ($0.element, TestSupport.bytes(count: 10 + $0.offset, seed: UInt64(200 + $0.offset)))
        }
        let scratch = try bucket(server, "listall", objects)
        let env = try server.environment(home: scratch)
        let all = try TestSupport.run("s3ls", ["--all", "s3://listall/all/"], environment: env, scratch: scratch)
        #expect(all.status == 0, "\(all.stderr)")
        let ids = expectUniqueIDs(all.records, count: 5)
        #expect(Dictionary(uniqueKeysWithValues: zip(all.records.compactMap { $0["key"]?.stringValue }, ids))
                == ["all/a/x.jpg": "x", "all/b/x.jpg": "x.jpg", "all/c/x.jpg": "all/c/x.jpg", "all/c/x.png": "x.png", "all/y.jpg": "y"])
    }

    @Test(arguments: S3TestServer.Kind.allCases) func faultsFromAProxyStillEndWithEveryFileCorrect(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let objects = (0..<150).map { ("faulty/f_\($0).bin", TestSupport.bytes(count: 20_000 + $0 * 3_001, seed: UInt64($0 + 7_000))) }
        let scratch = try bucket(server, "faults", objects)
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0.2, seed: 42)
        let env = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://faults/faulty/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.records.count == objects.count)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let dir = scratch + "/dl"
        // 32 transfers keep the 16 MD5 lanes full most of the time; the end runs them half empty.
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--retries", "12", "--concurrency", "32", "--dir", dir, scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.filter { $0["fetch"]?.stringValue == "downloaded" }.count == objects.count, "\(fetched.stderr)")
        for (key, body) in objects {
            #expect(TestSupport.readFile(dir + "/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        #expect(!TestSupport.files(under: dir).contains { $0.contains("s3fetch-part") })
        let stats = proxy.stats()
        for kind in ["error500", "slowdown503", "reset", "short", "corrupt"] {
            #expect((stats[kind] ?? 0) > 0, "the proxy injected no \(kind): \(stats)")
        }
    }

    @Test(arguments: S3TestServer.Kind.allCases) func expiredCredentialsStopAtOnceKeepingFinishedFiles(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let objects = (0..<40).map { ("exp/e_\($0).bin", TestSupport.bytes(count: 5_000 + $0, seed: UInt64($0 + 9_000))) }
        let scratch = try bucket(server, "expiry", objects)
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://expiry/exp/"], environment: env, scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1, expireAfter: 10)
        let proxied = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let dir = scratch + "/dl"
        let stopped = try TestSupport.run("s3fetch", ["--yes", "--concurrency", "1", "--dir", dir, "-o", scratch + "/out.ndjson",
                                                      scratch + "/listed.ndjson"], environment: proxied, scratch: scratch)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("credentials expired — refresh them (e.g. `aws sso login`) and rerun"))
        #expect(proxy.stats()["expired"] == 1, "it must stop at the first refusal, not retry: \(proxy.stats())")
        let kept = TestSupport.files(under: dir).filter { $0.hasPrefix("e_") }
        #expect(kept.count == 10)
        for name in kept {
            let body = objects.first { $0.0.hasSuffix("/" + name) }!.1
            #expect(TestSupport.readFile(dir + "/" + name).map(TestSupport.md5) == TestSupport.md5(body))
        }
        let rerun = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, "-o", scratch + "/out.ndjson", scratch + "/listed.ndjson"],
                                        environment: env, scratch: scratch)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("30 ok, 0 failed, 10 skipped"), "\(rerun.stderr)")
        let output = String(decoding: TestSupport.readFile(scratch + "/out.ndjson") ?? [], as: UTF8.self)
        let records = strictRecords(output)
        expectUniqueIDs(records, count: objects.count)
        #expect(records.allSatisfy { $0.error == nil })
        #expect(TestSupport.files(under: dir).filter { $0.hasPrefix("e_") }.count == objects.count)
    }

    @Test(arguments: S3TestServer.Kind.allCases) func aPartialFileFromAnEarlierRunResumesWithARangeRequest(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let body = TestSupport.bytes(count: 3_000_000, seed: 77)
        let scratch = try bucket(server, "resume", [("big/large.bin", body)])
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://resume/big/"], environment: env, scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let dir = scratch + "/dl"
        mkdir(dir, 0o755)
        try TestSupport.writeFile(dir + "/.large.bin.s3fetch-part", Array(body[0..<1_234_567]))
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1)
        let proxied = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: proxied, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.first?["fetch"]?.stringValue == "downloaded")
        #expect(proxy.stats()["range"] == 1)
        #expect(proxy.stats()["range_start"] == 1_234_567)
        #expect(TestSupport.readFile(dir + "/large.bin").map(TestSupport.md5) == TestSupport.md5(body))
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") } == ["large.bin"])
    }

    @Test func missingCredentialsEndWithOneClearMessage() throws {
        let scratch = TestSupport.temporaryDirectory("nocreds")
        let env = ["HOME": scratch, "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                   "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
        let result = try TestSupport.run("s3ls", ["--all", "s3://b/p/"], environment: env, scratch: scratch)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no AWS credentials"))
        #expect(result.stdout.isEmpty)
    }
}
