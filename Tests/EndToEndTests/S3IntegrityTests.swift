// S3IntegrityTests: every downloaded byte verified, whatever the upload — multipart objects
// with a stored composite checksum (moto keeps the one boto3 sends) or none (SeaweedFS, and
// moto without one: the multipart ETag recomputed from part 1's size), single-part checksums,
// SSE-KMS objects whose ETag is no MD5, the same judgement for files already on disk, a flipped
// byte in a multipart body caught, and cancelled downloads leaving no descriptor open.
import Foundation
import HTTP
import Records
import S3
import Testing

@Suite(.serialized) struct S3IntegrityTests {
    static let partSize = 5 << 20

    /// Uploads `body` in parts of `partSize` with boto3 (with CRC32 part checksums when
    /// `checksum`, and a full-object CRC32 rather than the composite one when `fullObject`),
    /// the way the official SDK does.
    func uploadMultipart(_ server: S3TestServer, bucket: String, key: String, body: [UInt8], checksum: Bool,
                         fullObject: Bool = false, scratch: String) throws {
        let file = scratch + "/upload.bin"
        try TestSupport.writeFile(file, body)
        try server.boto3("""
        import base64, zlib
        bucket, key, path, part_size, checksum, full = args[0], args[1], args[2], int(args[3]), args[4] == "1", args[5] == "1"
        extra = {"ChecksumAlgorithm": "CRC32"} if checksum else {}
        data = open(path, "rb").read()
        upload = s3.create_multipart_upload(Bucket=bucket, Key=key, **extra, **({"ChecksumType": "FULL_OBJECT"} if full else {}))
        parts = []
        for number, start in enumerate(range(0, len(data), part_size), 1):
            answer = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                    Body=data[start:start + part_size], **extra)
            part = {"PartNumber": number, "ETag": answer["ETag"]}
            if checksum: part["ChecksumCRC32"] = answer["ChecksumCRC32"]
            parts.append(part)
        whole = {"ChecksumType": "FULL_OBJECT",
                 "ChecksumCRC32": base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()} if full else {}
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"], MultipartUpload={"Parts": parts}, **whole)
        """, arguments: [bucket, key, file, String(Self.partSize), checksum ? "1" : "0", fullObject ? "1" : "0"])
    }

    /// A fresh bucket with one body (`tail` bytes past two parts) uploaded in parts under each
    /// key (with part checksums where asked), listed by s3ls into scratch/listed.ndjson.
    func multipartBucket(_ kind: S3TestServer.Kind, _ bucket: String, tail: Int, seed: UInt64, keys: [(String, checksum: Bool)])
        throws -> (server: S3TestServer, scratch: String, body: [UInt8]) {
        let server = S3TestServer.of(kind)
        let scratch = TestSupport.temporaryDirectory(bucket)
        let body = TestSupport.bytes(count: 2 * Self.partSize + tail, seed: seed)
        try server.client().createBucket(bucket)
        for (key, checksum) in keys {
            try uploadMultipart(server, bucket: bucket, key: key, body: body, checksum: checksum, scratch: scratch)
        }
        let listed = try TestSupport.run("s3ls", ["--all", "s3://\(bucket)/"], environment: try server.environment(home: scratch), scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        return (server, scratch, body)
    }

    /// A fault proxy (injecting `kinds`, none by default) in front of `server`, and the tools'
    /// environment through it.
    func proxied(_ server: S3TestServer, scratch: String, kinds: [String] = []) throws -> (FaultProxy, [String: String]) {
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1, kinds: kinds.isEmpty ? ["error500"] : kinds)
        return (proxy, try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch))
    }

    /// s3fetch (with `options`) over scratch/listed.ndjson into `dir`, expected to succeed; each
    /// record's `fetch` and `verified`, and what it logged.
    func fetchListed(_ dir: String, environment: [String: String], scratch: String, options: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (fetch: [String], verified: [String], log: String) {
        let result = try TestSupport.run("s3fetch", ["--yes"] + options + ["--dir", dir, scratch + "/listed.ndjson"],
                                         environment: environment, scratch: scratch)
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        return (result.records.map { $0["fetch"]?.stringValue ?? "" }, result.records.map { $0["verified"]?.stringValue ?? "" }, result.stderr)
    }

    func put(_ server: S3TestServer, bucket: String, key: String, body: [UInt8], extra: String, scratch: String) throws {
        let file = scratch + "/put.bin"
        try TestSupport.writeFile(file, body)
        try server.boto3("s3.put_object(Bucket=args[0], Key=args[1], Body=open(args[2], 'rb').read()\(extra))",
                         arguments: [bucket, key, file])
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func multipartAndEncryptedObjectsAreVerifiedAndSaySo(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let scratch = TestSupport.temporaryDirectory("integrity")
        try server.client().createBucket("integrity")
        var objects: [(key: String, body: [UInt8], verified: String)] = []
        let multipart = TestSupport.bytes(count: 2 * Self.partSize + 123_457, seed: 501)
        let plain = TestSupport.bytes(count: 2 * Self.partSize + 99, seed: 502)
        try uploadMultipart(server, bucket: "integrity", key: "mp/checksummed.bin", body: multipart, checksum: true, scratch: scratch)
        try uploadMultipart(server, bucket: "integrity", key: "mp/plain.bin", body: plain, checksum: false, scratch: scratch)
        try uploadMultipart(server, bucket: "integrity", key: "mp/full.bin", body: plain, checksum: true, fullObject: true, scratch: scratch)
        let single = TestSupport.bytes(count: 70_001, seed: 503)
        try put(server, bucket: "integrity", key: "one/sha.bin", body: single, extra: ", ChecksumAlgorithm='SHA256'", scratch: scratch)
        // Both servers keep the checksums sent: the composite CRC32 of the parts is checked;
        // without one the ETag is recomputed from part 1's size; a single unencrypted part is
        // checked by its MD5 even when it has a SHA-256 too.
        objects += [("mp/checksummed.bin", multipart, "crc32"), ("mp/plain.bin", plain, "multipart-etag"),
                    ("mp/full.bin", plain, "crc32"), ("one/sha.bin", single, "md5")]
        if kind == .moto {
            // SSE-KMS: the ETag is not the body's MD5 (moto returns the MD5 anyway, so only the
            // rule, not luck, keeps it from being called "md5"). SeaweedFS has no KMS here.
            let kms = TestSupport.bytes(count: 4_321, seed: 504)
            try put(server, bucket: "integrity", key: "one/kms-sha.bin", body: kms,
                    extra: ", ServerSideEncryption='aws:kms', ChecksumAlgorithm='SHA256'", scratch: scratch)
            try put(server, bucket: "integrity", key: "one/kms.bin", body: kms, extra: ", ServerSideEncryption='aws:kms'", scratch: scratch)
            objects += [("one/kms-sha.bin", kms, "sha256"), ("one/kms.bin", kms, "size")]
        }
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://integrity/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let dir = scratch + "/dl"
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let byKey = Dictionary(fetched.records.map { ($0["key"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for object in objects {
            let record = try #require(byKey[object.key])
            #expect(record["fetch"]?.stringValue == "downloaded", "\(object.key): \(record)")
            #expect(record["verified"]?.stringValue == object.verified, "\(object.key)")
            #expect(TestSupport.readFile(record["path"]?.stringValue ?? "").map(TestSupport.md5) == TestSupport.md5(object.body))
        }
        let counts = Dictionary(grouping: objects, by: \.verified).mapValues(\.count)
        for (verified, count) in counts { #expect(fetched.stderr.contains("\(verified) \(count)"), "\(fetched.stderr)") }

        // Files on disk are judged by the same rules: cached, saying which check they passed.
        let again = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: env, scratch: scratch)
        #expect(again.status == 0, "\(again.stderr)")
        for record in again.records {
            let object = try #require(objects.first { $0.key == record["key"]?.stringValue })
            #expect(record["fetch"]?.stringValue == "cached", "\(object.key): \(record)")
            #expect(record["verified"]?.stringValue == cachedVerification(kind, object.key, downloaded: object.verified), "\(object.key)")
        }
        // A multipart file with one byte changed is not the object: it is kept, and the object lands beside it.
        let path = dir + "/plain.bin"
        var changed = plain
        changed[Self.partSize + 7] ^= 1
        try TestSupport.writeFile(path, changed)
        let third = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: env, scratch: scratch)
        let moved = try #require(third.records.first { $0["key"]?.stringValue == "mp/plain.bin" })
        #expect(moved["fetch"]?.stringValue == "downloaded")
        #expect(moved["path"]?.stringValue != path)
        #expect(TestSupport.readFile(path) == changed)
    }

    /// What a file already on disk is verified by. The same as a download, but for moto's
    /// quirks: its HEAD gives a composite checksum without its `-N` (ambiguous, so the ETag
    /// judges), and its SSE-KMS ETags are the MD5 — a file whose MD5 equals the ETag is the object.
    func cachedVerification(_ kind: S3TestServer.Kind, _ key: String, downloaded: String) -> String {
        guard kind == .moto else { return downloaded }
        if key == "mp/checksummed.bin" { return "multipart-etag" }
        if key.hasPrefix("one/kms") { return "md5" }
        return downloaded
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func aFlippedByteInAMultipartBodyIsCaught(_ kind: S3TestServer.Kind) throws {
        // With a stored checksum and without.
        let (server, scratch, body) = try multipartBucket(kind, "flipped", tail: 4_567, seed: 601, keys: [("mp/a.bin", true), ("mp/b.bin", false)])
        let env = try server.environment(home: scratch)
        // Every full body comes with one byte flipped in its middle.
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 1, seed: 3, kinds: ["corrupt"])
        let proxied = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let dir = scratch + "/dl"
        let caught = try TestSupport.run("s3fetch", ["--yes", "--retries", "1", "--dir", dir, scratch + "/listed.ndjson"],
                                         environment: proxied, scratch: scratch)
        #expect(caught.records.count == 2)
        for record in caught.records {
            #expect(record.error?.code == "checksum_mismatch", "\(record)")
            #expect(record["path"] == nil)
        }
        #expect((proxy.stats()["corrupt"] ?? 0) >= 4)
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") }.isEmpty)
        let clean = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: env, scratch: scratch)
        #expect(clean.records.map { $0["verified"]?.stringValue ?? "" }.sorted()
            == ["crc32", "multipart-etag"])
        #expect(TestSupport.readFile(dir + "/a.bin").map(TestSupport.md5) == TestSupport.md5(body))
    }

    /// Parts of uneven size are valid in S3, but the layout is inferred from part 1's: the
    /// check over it fails, the last part's size shows the layout is another, and the object is
    /// kept with its size checked — one GET, no retry storm, and a rerun finds it cached.
    @Test(arguments: S3TestServer.Kind.allCases)
    func unevenPartsAreFetchedOnceAndCheckedBySize(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let scratch = TestSupport.temporaryDirectory("uneven")
        try server.client().createBucket("uneven")
        // 5 MiB, then 6 MiB, then 1,000 bytes: part 1's size fits three parts, but not these.
        let sizes = [Self.partSize, Self.partSize + (1 << 20), 1_000]
        let body = TestSupport.bytes(count: sizes.reduce(0, +), seed: 621)
        try TestSupport.writeFile(scratch + "/upload.bin", body)
        for (key, checksum) in [("mp/plain.bin", false), ("mp/checksummed.bin", true)] {
            try server.boto3("""
            bucket, key, path, sizes, checksum = args[0], args[1], args[2], [int(n) for n in args[3].split(",")], args[4] == "1"
            extra = {"ChecksumAlgorithm": "CRC32"} if checksum else {}
            data = open(path, "rb").read()
            upload = s3.create_multipart_upload(Bucket=bucket, Key=key, **extra)
            parts, start = [], 0
            for number, size in enumerate(sizes, 1):
                answer = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                        Body=data[start:start + size], **extra)
                part = {"PartNumber": number, "ETag": answer["ETag"]}
                if checksum: part["ChecksumCRC32"] = answer["ChecksumCRC32"]
                parts.append(part)
                start += size
            s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"], MultipartUpload={"Parts": parts})
            """, arguments: ["uneven", key, scratch + "/upload.bin", sizes.map(String.init).joined(separator: ","), checksum ? "1" : "0"])
        }
        let env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://uneven/"], environment: env, scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let (proxy, proxiedEnv) = try proxied(server, scratch: scratch)
        let dir = scratch + "/dl"
        let first = try fetchListed(dir, environment: proxiedEnv, scratch: scratch, options: ["--verbose"])
        #expect(first.verified == ["size", "size"])
        #expect(first.log.contains("its parts are of uneven size (part 3 has 1000 bytes, not 1049576): only the size is checked"), "\(first.log)")
        // Per object: the part-size HEAD, one GET, the HEAD of the last part.
        #expect(proxy.stats()["requests"] == 6, "no retries: \(proxy.stats())")
        for name in ["plain.bin", "checksummed.bin"] {
            #expect(TestSupport.readFile(dir + "/" + name).map(TestSupport.md5) == TestSupport.md5(body), "\(name)")
        }
        let rerun = try fetchListed(dir, environment: proxiedEnv, scratch: scratch)
        #expect(rerun.fetch == ["cached", "cached"])
        #expect(rerun.verified == ["size", "size"])
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") }.sorted() == ["checksummed.bin", "plain.bin"])
    }

    /// A HEAD that fails once is retried like a GET: the part size of a multipart object is
    /// still learned (no silent `size` check), and on a rerun a finished file whose check needs
    /// a HEAD stays cached where it is, never moved aside and fetched again.
    @Test(arguments: S3TestServer.Kind.allCases)
    func aHeadThatFailsOnceIsRetriedNotTakenForAnotherObject(_ kind: S3TestServer.Kind) throws {
        let (server, scratch, body) = try multipartBucket(kind, "headretry", tail: 1_234, seed: 611,
                                                          keys: [("mp/a.bin", false), ("mp/b.bin", false)])
        let (proxy, proxiedEnv) = try proxied(server, scratch: scratch, kinds: ["firsthead500"])
        let dir = scratch + "/dl"
        let first = try fetchListed(dir, environment: proxiedEnv, scratch: scratch)
        #expect(first.verified == ["multipart-etag", "multipart-etag"])
        #expect(proxy.stats()["firsthead500"] == 2, "each part-size HEAD failed once: \(proxy.stats())")
        let rerun = try fetchListed(dir, environment: proxiedEnv, scratch: scratch)
        #expect(rerun.fetch == ["cached", "cached"])
        #expect(rerun.verified == ["multipart-etag", "multipart-etag"])
        #expect(proxy.stats()["firsthead500"] == 4, "each object's HEAD failed once too: \(proxy.stats())")
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") } == ["a.bin", "b.bin"])
        for name in ["a.bin", "b.bin"] {
            #expect(TestSupport.readFile(dir + "/" + name).map(TestSupport.md5) == TestSupport.md5(body), "\(name)")
        }
    }

    /// A partial file of a multipart object from an earlier run resumes with a Range request;
    /// the bytes already on disk go through the check too, so a wrong one in them is caught and
    /// the object fetched again from the start.
    @Test(arguments: S3TestServer.Kind.allCases)
    func aResumedMultipartFileIsCheckedFromItsFirstByte(_ kind: S3TestServer.Kind) throws {
        let (server, scratch, body) = try multipartBucket(kind, "resumed", tail: 777, seed: 801,
                                                          keys: [("mp/clean.bin", false), ("mp/spoiled.bin", false)])
        let dir = scratch + "/dl"
        mkdir(dir, 0o755)
        let partial = Array(body[0..<6_000_000])  // past the first part's end
        var spoiled = partial
        spoiled[1_000] ^= 0x10
        try TestSupport.writeFile(dir + "/.clean.bin.s3fetch-part", partial)
        try TestSupport.writeFile(dir + "/.spoiled.bin.s3fetch-part", spoiled)
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1)
        let proxied = try server.environment(endpoint: "http://127.0.0.1:\(proxy.port)", home: scratch)
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, scratch + "/listed.ndjson"], environment: proxied, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.map { $0["verified"]?.stringValue ?? "" } == ["multipart-etag", "multipart-etag"])
        #expect(proxy.stats()["range"] == 2)
        // Per object a HEAD for the part size and a resumed GET; the spoiled one a HEAD of its
        // last part (the layout holds, so the bytes are wrong) and a second GET.
        #expect(proxy.stats()["requests"] == 6)
        for name in ["clean.bin", "spoiled.bin"] {
            #expect(TestSupport.readFile(dir + "/" + name).map(TestSupport.md5) == TestSupport.md5(body), "\(name)")
        }
        #expect(TestSupport.files(under: dir).filter { !$0.hasPrefix("logs/") } == ["clean.bin", "spoiled.bin"])
    }

    /// SSE-C: the key from a file or the environment, sent with every GET and HEAD; the ETag
    /// is no MD5, so the stored checksum (or the size) is what is checked. SeaweedFS only: moto
    /// stores SSE-C objects but neither requires the key to read them nor says they are encrypted.
    @Test(arguments: [S3TestServer.Kind.seaweedfs])
    func customerKeyObjectsAreFetchedWithTheKeyFromTheEnvironment(_ kind: S3TestServer.Kind) throws {
        let server = S3TestServer.of(kind)
        let scratch = TestSupport.temporaryDirectory("ssec")
        try server.client().createBucket("customer-key")
        let key = (0..<32).map { UInt8(($0 * 7 + 3) & 255) }
        let keyText = Data(key).base64EncodedString()
        let body = TestSupport.bytes(count: 50_000, seed: 901)
        try TestSupport.writeFile(scratch + "/key.bin", key)
        try TestSupport.writeFile(scratch + "/body.bin", body)
        try server.boto3("""
        key = open(args[2], "rb").read()
        s3.put_object(Bucket=args[0], Key=args[1], Body=open(args[3], "rb").read(), SSECustomerAlgorithm="AES256",
                      SSECustomerKey=key, ChecksumAlgorithm="CRC32")
        """, arguments: ["customer-key", "c/secret.bin", scratch + "/key.bin", scratch + "/body.bin"])
        var env = try server.environment(home: scratch)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://customer-key/"], environment: env, scratch: scratch)
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        // Without the key the object cannot be read.
        let refused = try TestSupport.run("s3fetch", ["--yes", "--retries", "0", "--dir", scratch + "/none", scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(refused.records.first?.error != nil)
        env["SSE_KEY"] = keyText
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--sse-c-key", "env:SSE_KEY", "--dir", scratch + "/dl", scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.first?["verified"]?.stringValue == "crc32")
        #expect(TestSupport.readFile(scratch + "/dl/secret.bin") == body)
        let fromFile = try TestSupport.run("s3fetch", ["--yes", "--sse-c-key", "file:" + scratch + "/key.bin", "--dir", scratch + "/dl",
                                                       scratch + "/listed.ndjson"], environment: env, scratch: scratch)
        #expect(fromFile.records.first?["fetch"]?.stringValue == "cached")
        // SeaweedFS's SSE-C ETag is the plaintext's MD5 (S3's is not): a file whose MD5 equals
        // the listed ETag is the object whatever the encryption, so it needs no HEAD.
        #expect(fromFile.records.first?["verified"]?.stringValue == "md5")
        // The key itself on the command line is refused, and never echoed.
        let inline = try TestSupport.run("s3fetch", ["--yes", "--sse-c-key", keyText, "--dir", scratch + "/dl", scratch + "/listed.ndjson"],
                                         environment: env, scratch: scratch)
        #expect(inline.status != 0)
        #expect(inline.stderr.contains("file:PATH or env:NAME") && !inline.stderr.contains(keyText))
        #expect(!fetched.stderr.contains(keyText) && !fetched.stdout.contains(keyText))
        for log in TestSupport.files(under: scratch + "/dl/logs") {
            #expect(!String(decoding: TestSupport.readFile(scratch + "/dl/logs/" + log) ?? [], as: UTF8.self).contains(keyText))
        }
    }

    /// Downloads cut off by expired credentials (the fatal stop cancels every transfer) leave
    /// no descriptor open: the temporary files of dropped jobs are closed at once, while the
    /// downloader still exists (s3fetch lives on to write its summary). Other suites run in this
    /// process at the same time, so the descriptors counted are those into this test's folders.
    @Test func cancelledDownloadsLeaveNoOpenDescriptors() throws {
        let server = S3TestServer.shared
        let client = try server.client()
        try client.createBucket("cancelled")
        let keys = (0..<24).map { "c/obj_\($0).bin" }
        for (i, key) in keys.enumerated() { try client.putObject(bucket: "cancelled", key: key, body: TestSupport.bytes(count: 400_000, seed: UInt64(700 + i))) }
        let root = TestSupport.temporaryDirectory("cancel")
        func descriptorsUnderRoot() -> Int {
            TestSupport.files(under: "/proc/self/fd").filter { name in
                var target = [CChar](repeating: 0, count: 4096)
                let n = readlink("/proc/self/fd/" + name, &target, target.count - 1)
                guard n > 0 else { return false }
                return String(decoding: target.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix(root + "/")
            }.count
        }
        // One proxy for every round (each one started keeps a pipe open for good): four answers
        // pass, then every request is refused as expired, which stops the run at once.
        let proxy = try FaultProxy.start(upstreamPort: try server.port(), faultRate: 0, seed: 1, expireAfter: 4)
        var cutOff = 0
        for round in 0..<6 {
            let dir = root + "/\(round)"
            mkdir(dir, 0o755)
            let downloader = try ObjectDownloader(client: try server.client(endpoint: "http://127.0.0.1:\(proxy.port)"),
                                                  layout: DownloadLayout(directory: dir, keepPaths: false),
                                                  concurrency: 16, retry: RetryPolicy(maximumRetries: 0))
            var pending = keys.enumerated().map { DownloadItem(bucket: "cancelled", key: $0.element, size: 400_000, etag: nil, tag: $0.offset) }
            var stopped = false
            var opened = 0, started = 0, ended = 0
            do {
                try downloader.run(next: {
                    opened = max(opened, descriptorsUnderRoot())
                    guard let item = pending.popLast() else { return nil }
                    started += 1
                    return item
                }, completion: { _, _ in ended += 1 })
            } catch S3Error.credentialsExpired {
                stopped = true
            }
            #expect(stopped)
            cutOff += started - ended
            // 400 kB bodies cannot be resumed (too small): no temporary file stays behind.
            #expect(!TestSupport.files(under: dir).contains { $0.hasSuffix(".s3fetch-part") }, "round \(round)")
            #expect(opened > 0, "no temporary file was open during round \(round)")
            withExtendedLifetime(downloader) {
                #expect(descriptorsUnderRoot() == 0, "round \(round)")
            }
        }
        #expect(cutOff > 0, "no download was cut off")
    }
}
