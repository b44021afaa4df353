// S3AWSBehaviourTests: what real AWS does that SeaweedFS does not — buckets in another region,
// SSE-KMS ETags, archived objects and restores (a proxy plays AWS for one bucket), and the
// credential sources of runners on AWS: instance metadata, container endpoints (fakes on
// loopback) and STS AssumeRole / web identity (moto, with signature and policy checks on).
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

@Suite(.serialized) struct S3AWSBehaviourTests {
    let server = S3TestServer.shared


    /// The tools' environment with no keys and no region: credentials and region must come
    /// from elsewhere. Instance metadata is off unless a test points it at its fake.
    func keylessEnvironment(endpoint: String, home: String) -> [String: String] {
        ["AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
         "HOME": home, "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
    }

    /// A bucket on SeaweedFS behind a proxy that plays AWS for it; the tools' environment goes
    /// through the proxy (with the test keys and AWS_REGION us-east-1).
    func proxiedBucket(_ name: String, _ objects: [(String, [UInt8])], region: String,
                       answer: AWSBucketProxy.WrongRegionAnswer = .permanentRedirect, requesterPays: Bool = false)
        throws -> (scratch: String, proxy: AWSBucketProxy, env: [String: String]) {
        let scratch = try server.filledBucket(name, objects)
        let proxy = try AWSBucketProxy.start(upstreamPort: try server.port(), bucket: name, region: region, answer: answer,
                                             requesterPays: requesterPays)
        return (scratch, proxy, try server.environment(endpoint: proxy.endpoint, home: scratch))
    }

    /// s3ls --all over moto's bucket, with no keys unless `env` has them.
    func listMoto(_ env: [String: String], scratch: String) throws -> ToolResult {
        try TestSupport.run("s3ls", ["--all", "s3://\(MotoSTSServer.bucket)/data/"], environment: env, scratch: scratch)
    }

    func records(in path: String) -> [Record] {
        String(decoding: TestSupport.readFile(path) ?? [], as: UTF8.self).split(separator: "\n")
            .compactMap { try? JSONParser.parse(Array($0.utf8)).objectValue }
    }

    @Test func aBucketInAnotherRegionAndArchivedObjectsRestoredThenDownloaded() throws {
        let plain = (0..<8).map { ("plain/p_\($0).bin", TestSupport.bytes(count: 3_000 + $0, seed: UInt64(500 + $0))) }
        let glacier = (0..<5).map { ("archive/a_\($0).bin", TestSupport.bytes(count: 2_000 + $0, seed: UInt64(600 + $0))) }
        // In an Intelligent-Tiering archive tier: the listing cannot tell, the GET does.
        let tiering = (0..<2).map { ("tiering/t_\($0).bin", TestSupport.bytes(count: 2_500 + $0, seed: UInt64(650 + $0))) }
        let archived = glacier + tiering
        let (scratch, proxy, proxiedEnv) = try proxiedBucket("awsplay", plain + archived, region: "eu-central-1")
        var env = proxiedEnv
        env["AWS_REGION"] = nil   // us-east-1 assumed; the bucket is in eu-central-1

        let listed = try TestSupport.run("s3ls", ["--all", "s3://awsplay/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.records.count == plain.count + archived.count)
        #expect(listed.records.filter { $0["storage_class"]?.stringValue == "GLACIER" }.count == glacier.count)
        #expect(listed.records.filter { $0["storage_class"]?.stringValue == "INTELLIGENT_TIERING" }.count == tiering.count)
        #expect(listed.stderr.contains("5 archived, not downloadable without a restore"), "\(listed.stderr)")
        #expect(listed.stderr.contains("s3://awsplay is in eu-central-1, not us-east-1"), "\(listed.stderr)")
        #expect(proxy.stats().counts["wrong_region"] == 1, "the region is learned once: \(proxy.stats().counts)")
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))

        // Plain objects land byte-exact; each archived one is an `archived` record after one GET.
        let dir = scratch + "/dl", out = scratch + "/fetched.ndjson"
        let first = try TestSupport.run("s3fetch", ["--yes", "--concurrency", "4", "--dir", dir, "-o", out, scratch + "/listed.ndjson"],
                                        environment: env, scratch: scratch)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("7 archived"), "\(first.stderr)")
        for (key, body) in plain {
            #expect(TestSupport.readFile(dir + "/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        let afterFirst = records(in: out)
        let archivedRecords = afterFirst.filter { $0.error?.code == "archived" }
        #expect(archivedRecords.count == archived.count)
        #expect(archivedRecords.allSatisfy { $0.error?.retryable == true && $0.error?.message.contains("--restore") == true })
        var stats = proxy.stats()
        #expect(stats.counts["wrong_region"] ?? 0 <= 1 + 4, "at most the first wave is redirected: \(stats.counts)")
        for (key, _) in archived { #expect(stats.gets[key] == 1, "one GET, no retries, for \(key): \(stats.gets)") }
        #expect(stats.counts["restore"] == 0)

        // --restore: the rerun retries the error records, asks for a restore of each.
        let second = try TestSupport.run("s3fetch", ["--yes", "--restore", "3", "--dir", dir, "-o", out, scratch + "/listed.ndjson"],
                                         environment: env, scratch: scratch)
        #expect(second.status == 0, "\(second.stderr)")
        stats = proxy.stats()
        #expect(stats.counts["restore"] == archived.count)
        for (key, _) in glacier {
            let body = stats.restoreBodies[key] ?? ""
            #expect(body.contains("<Days>3</Days>") && body.contains("<Tier>Bulk</Tier>"), "\(key): \(body)")
        }
        for (key, _) in tiering {
            let body = stats.restoreBodies[key] ?? ""
            #expect(!body.contains("<Days>") && body.contains("<Tier>Bulk</Tier>"), "Intelligent-Tiering takes no Days: \(body)")
        }
        for (key, _) in archived { #expect(stats.gets[key] == 2, "\(key): \(stats.gets)") }
        #expect(records(in: out).filter { $0.error?.message.contains("restore requested (Bulk, 3 days)") == true }.count == glacier.count)
        #expect(records(in: out).filter { $0.error?.message.contains("restore requested (Bulk);") == true }.count == tiering.count)

        // Once restored, a plain rerun downloads them.
        let third = try TestSupport.run("s3fetch", ["--yes", "--dir", dir, "-o", out, scratch + "/listed.ndjson"],
                                        environment: env, scratch: scratch)
        #expect(third.status == 0, "\(third.stderr)")
        for (key, body) in archived {
            #expect(TestSupport.readFile(dir + "/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        let final = records(in: out)
        #expect(Set(final.compactMap(\.id)).count == plain.count + archived.count)
        #expect(final.filter { $0["fetch"] != nil && $0.error == nil }.count == plain.count + archived.count)
    }

    @Test func authorizationHeaderMalformedAlsoTeachesTheBucketsRegion() throws {
        let objects = (0..<3).map { ("r/x_\($0).bin", TestSupport.bytes(count: 100 + $0, seed: UInt64(700 + $0))) }
        let (scratch, proxy, proxiedEnv) = try proxiedBucket("awsregion", objects, region: "ap-southeast-2",
                                                             answer: .authorizationHeaderMalformed)
        var env = proxiedEnv
        env["AWS_REGION"] = "us-west-2"
        let listed = try TestSupport.run("s3ls", ["--all", "s3://awsregion/r/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.records.count == objects.count)
        #expect(listed.stderr.contains("is in ap-southeast-2, not us-west-2"))
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--concurrency", "1", "--dir", scratch + "/dl", scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.records.filter { $0["fetch"]?.stringValue == "downloaded" }.count == objects.count)
        // One wrong-region answer for the listing, one for the first GET; never again.
        #expect(proxy.stats().counts["wrong_region"] == 2, "\(proxy.stats().counts)")
    }

    @Test func aRequesterPaysBucketNeedsTheRequestPayerFlag() throws {
        let objects = [("pub/a.bin", TestSupport.bytes(count: 1_500, seed: 1_001)), ("pub/b.bin", TestSupport.bytes(count: 1_600, seed: 1_002))]
        let (scratch, proxy, env) = try proxiedBucket("awspays", objects, region: "us-east-1", requesterPays: true)
        let refused = try TestSupport.run("s3ls", ["--all", "s3://awspays/pub/"], environment: env, scratch: scratch)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("AccessDenied"), "\(refused.stderr)")
        let listed = try TestSupport.run("s3ls", ["--request-payer", "requester", "--all", "s3://awspays/pub/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--request-payer", "requester", "--dir", scratch + "/dl", scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        for (key, body) in objects {
            #expect(TestSupport.readFile(scratch + "/dl/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        #expect(proxy.stats().counts["payer_missing"] == 1)
    }

    /// Needs the integrity branch (ETag checked as an MD5 only when the response says it is one).
    @Test func sseKMSObjectsDownloadByteExactWithoutRetries() throws {
        let objects = (0..<6).map { ("kms/k_\($0).bin", TestSupport.bytes(count: 4_000 + $0, seed: UInt64(800 + $0))) }
        let (scratch, proxy, env) = try proxiedBucket("awskms", objects, region: "us-east-1")
        let listed = try TestSupport.run("s3ls", ["--all", "s3://awskms/kms/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        for record in listed.records {
            let body = objects.first { $0.0 == record["key"]?.stringValue }!.1
            #expect(record["etag"]?.stringValue != TestSupport.md5(body), "the listing's ETag is not the MD5")
        }
        try TestSupport.writeFile(scratch + "/listed.ndjson", Array(listed.stdout.utf8))
        let fetched = try TestSupport.run("s3fetch", ["--yes", "--dir", scratch + "/dl", scratch + "/listed.ndjson"],
                                          environment: env, scratch: scratch)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        for (key, body) in objects {
            #expect(TestSupport.readFile(scratch + "/dl/" + key.split(separator: "/").last!).map(TestSupport.md5) == TestSupport.md5(body))
        }
        for (key, _) in objects { #expect(proxy.stats().gets[key] == 1, "no retry storm: \(proxy.stats().gets)") }
    }

    @Test func instanceMetadataCredentialsListWithNoKeysInTheEnvironment() throws {
        let scratch = try server.filledBucket("imds", [("i/one.jpg", [1, 2, 3]), ("i/two.jpg", [4, 5])])
        let fake = try CredentialEndpointFake.start(key: S3TestServer.accessKey, secret: S3TestServer.secretKey, lifetime: 3600)
        var env = keylessEnvironment(endpoint: try server.endpoint, home: scratch)
        env["AWS_EC2_METADATA_DISABLED"] = nil
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fake.endpoint
        let listed = try TestSupport.run("s3ls", ["--all", "s3://imds/i/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(Set(listed.records.compactMap { $0["key"]?.stringValue }) == ["i/one.jpg", "i/two.jpg"])
        #expect(fake.stats()["tokens"] == 1, "IMDSv2: a session token first")
        #expect(fake.stats()["imds_credentials"] == 1)
        #expect(fake.stats()["refused"] == 0)

        env["AWS_EC2_METADATA_DISABLED"] = "true"
        let disabled = try TestSupport.run("s3ls", ["--all", "s3://imds/i/"], environment: env, scratch: scratch)
        #expect(disabled.status == 1)
        #expect(disabled.stderr.contains("no AWS credentials"))
        #expect(fake.stats()["tokens"] == 1)
    }

    @Test func containerCredentialsWithATokenFileListWithNoKeys() throws {
        let scratch = try server.filledBucket("ecs", [("c/one.jpg", [1, 2, 3])])
        let fake = try CredentialEndpointFake.start(key: S3TestServer.accessKey, secret: S3TestServer.secretKey, lifetime: 3600)
        try TestSupport.writeFile(scratch + "/token", Array((CredentialEndpointFake.containerToken + "\n").utf8))
        var env = keylessEnvironment(endpoint: try server.endpoint, home: scratch)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fake.endpoint + CredentialEndpointFake.containerPath
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = scratch + "/token"
        let listed = try TestSupport.run("s3ls", ["--all", "s3://ecs/c/"], environment: env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.records.first?["key"]?.stringValue == "c/one.jpg")
        #expect(fake.stats()["container_credentials"] == 1)

        // A wrong token is refused by the endpoint, and the run says so.
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = nil
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong"
        let refused = try TestSupport.run("s3ls", ["--all", "s3://ecs/c/"], environment: env, scratch: scratch)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("container credentials endpoint answered HTTP 401"), "\(refused.stderr)")
    }

    @Test func containerCredentialsThatExpireMidRunAreFetchedAgain() throws {
        let objects = (0..<12).map { ("long/l_\($0).bin", TestSupport.bytes(count: 1_000 + $0, seed: UInt64(900 + $0))) }
        let scratch = try server.filledBucket("refresh", objects)
        // 4-second credentials: due again 2 s after each fetch (half their lifetime).
        let fake = try CredentialEndpointFake.start(key: S3TestServer.accessKey, secret: S3TestServer.secretKey, lifetime: 4)
        let listed = try TestSupport.run("s3ls", ["--all", "s3://refresh/long/"], environment: try server.environment(home: scratch),
                                         scratch: scratch)
        let lines = listed.stdout.split(separator: "\n").map { String($0) + "\n" }
        #expect(lines.count == objects.count)
        var env = keylessEnvironment(endpoint: try server.endpoint, home: scratch)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fake.endpoint + CredentialEndpointFake.containerPath
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = CredentialEndpointFake.containerToken

        // The run reads its records from a pipe: half now, the rest once the first credentials
        // are past their refresh point, so the run outlives them.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        #expect(fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0)
        let out = scratch + "/fetched.ndjson"
        let pid = try TestSupport.spawn([try TestSupport.tool("s3fetch"), "--yes", "--concurrency", "2", "--dir", scratch + "/dl"],
                                        stdinFD: ends[0], stdoutPath: out, stderrPath: out + ".err", environment: env)
        close(ends[0])
        func send(_ part: ArraySlice<String>) {
            let bytes = Array(part.joined().utf8)
            _ = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        }
        send(lines[0..<6])
        #expect(TestSupport.waitUntil(deadline: 30) { (fake.stats()["first_fetch"] ?? 0) > 0 })
        let firstFetch = fake.stats()["first_fetch"] ?? 0
        let pastRefreshPoint = TestSupport.waitUntil(deadline: 30) {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return Double(now.tv_sec) > firstFetch + 3
        }
        #expect(pastRefreshPoint)
        send(lines[6...])
        close(ends[1])
        let status = TestSupport.wait(pid)
        let stderr = String(decoding: TestSupport.readFile(out + ".err") ?? [], as: UTF8.self)
        #expect(status == 0, "\(stderr)")
        #expect(records(in: out).filter { $0["fetch"]?.stringValue == "downloaded" }.count == objects.count, "\(stderr)")
        #expect((fake.stats()["container_credentials"] ?? 0) >= 2, "credentials were not fetched again: \(fake.stats())")
    }

    @Test func anAssumeRoleProfileListsWithCredentialsFromSTS() throws {
        let moto = MotoSTSServer.shared
        let setup = try moto.setup()
        let scratch = TestSupport.temporaryDirectory("assume")
        let config = """
        [profile base]
        aws_access_key_id = \(setup.userKey)
        aws_secret_access_key = \(setup.userSecret)

        [profile reader]
        role_arn = \(MotoSTSServer.roleARN)
        source_profile = base
        role_session_name = e2e
        """
        try TestSupport.writeFile(scratch + "/config", Array(config.utf8))
        var env = keylessEnvironment(endpoint: setup.endpoint, home: scratch)
        env["AWS_CONFIG_FILE"] = scratch + "/config"
        env["AWS_PROFILE"] = "reader"
        try moto.enforceAuthentication(afterUnchecked: 0)
        let listed = try listMoto(env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(Set(listed.records.compactMap { $0["key"]?.stringValue }) == Set(MotoSTSServer.keys))

        // The source profile's keys alone may not list: only the role may.
        env["AWS_PROFILE"] = "base"
        let direct = try listMoto(env, scratch: scratch)
        #expect(direct.status == 1, "\(direct.stdout)")
        #expect(direct.stderr.contains("AccessDenied"), "\(direct.stderr)")
    }

    @Test func webIdentityListsWithCredentialsFromSTS() throws {
        let moto = MotoSTSServer.shared
        let setup = try moto.setup()
        let scratch = TestSupport.temporaryDirectory("irsa")
        try TestSupport.writeFile(scratch + "/token", Array("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n".utf8))
        var env = keylessEnvironment(endpoint: setup.endpoint, home: scratch)
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = scratch + "/token"
        env["AWS_ROLE_ARN"] = MotoSTSServer.roleARN
        // AssumeRoleWithWebIdentity is unsigned; every S3 request after it is checked.
        try moto.enforceAuthentication(afterUnchecked: 1)
        let listed = try listMoto(env, scratch: scratch)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(Set(listed.records.compactMap { $0["key"]?.stringValue }) == Set(MotoSTSServer.keys))

        // Keys moto's STS did not issue are refused: the listing above was signed by the role.
        env["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
        env["AWS_SECRET_ACCESS_KEY"] = "not-issued-by-moto"
        let refused = try listMoto(env, scratch: scratch)
        #expect(refused.status == 1, "\(refused.stdout)")
    }
}
