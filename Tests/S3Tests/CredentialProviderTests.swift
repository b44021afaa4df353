// CredentialProviderTests: refreshing temporary credentials ahead of expiry, and the rules of
// the credential chain that need no server (the servers are in EndToEndTests).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTP
import Records
import Synchronization
import Testing
@testable import S3

@Suite struct CredentialProviderTests {
    static func iso(_ seconds: time_t) -> String {
        var value = seconds
        var parts = tm()
        gmtime_r(&value, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A new directory holding one file; returns both paths.
    static func directory(with name: String, _ text: String) -> (directory: String, file: String) {
        var template = Array("/tmp/awscreds-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        return (directory, directory + "/" + name)
    }

    @Test func temporaryCredentialsAreFetchedAgainAheadOfExpiryNotOnEveryRequest() throws {
        let start = time(nil)
        let fetches = Mutex(0)
        // Each fetch hands out 600-second credentials named after the fetch.
        let provider = AWSCredentialsProvider(source: "test", refreshAhead: 300) {
            let n = fetches.withLock { $0 += 1; return $0 }
            return AWSCredentials(accessKeyID: "KEY\(n)", secretAccessKey: "S", expiration: Self.iso(start + 600), source: "test")
        }
        #expect(try provider.current(now: start).accessKeyID == "KEY1")
        #expect(try provider.current(now: start + 200).accessKeyID == "KEY1")
        // 300 s (half the lifetime, and the margin) before expiry: fetched again, once.
        #expect(try provider.current(now: start + 301).accessKeyID == "KEY2")
        #expect(try provider.current(now: start + 302).accessKeyID == "KEY2")
        #expect(provider.fetchCount == 2)
    }

    @Test func aFailedRefreshKeepsCredentialsThatAreStillValidAndFailsAfterExpiry() throws {
        let start = time(nil)
        let failing = Mutex(false)
        let provider = AWSCredentialsProvider(source: "test", refreshAhead: 300) {
            if failing.withLock({ $0 }) { throw S3Error.noCredentials("endpoint down") }
            return AWSCredentials(accessKeyID: "K", secretAccessKey: "S", expiration: Self.iso(start + 600), source: "test")
        }
        _ = try provider.current(now: start)
        failing.withLock { $0 = true }
        #expect(try provider.current(now: start + 400).accessKeyID == "K")
        #expect(throws: S3Error.self) { try provider.current(now: start + 601) }
    }

    @Test func staticCredentialsAreNeverFetchedAgain() throws {
        let provider = AWSCredentialsProvider(AWSCredentials(accessKeyID: "K", secretAccessKey: "S", source: "environment"))
        for offset in [0, 10_000, 1_000_000] { _ = try provider.current(now: time(nil) + time_t(offset)) }
        #expect(provider.fetchCount == 1)
    }

    @Test func credentialsGoOverPlainHTTPOnlyToLoopbackAndTheContainerAgents() throws {
        let agents = CredentialEndpoint.containerAgents
        for url in ["http://127.0.0.1:8080/c", "http://localhost/c", "http://[::1]:80/c", "http://169.254.170.2/v2/c",
                    "http://169.254.170.23/v1/c", "http://[fd00:ec2::23]/v1/c", "https://example.com/c"] {
            #expect(throws: Never.self, "\(url)") { try CredentialEndpoint.checkTransport(url, setting: "test", alsoAllowed: agents) }
        }
        for url in ["http://example.com/c", "http://10.0.0.1/c", "http://127.0.0.1.evil.com/c", "http://169.254.170.3/c",
                    "http://169.254.169.254/c", "http://user@127.0.0.1/c"] {
            #expect(throws: S3Error.self, "\(url)") { try CredentialEndpoint.checkTransport(url, setting: "test", alsoAllowed: agents) }
        }
        let env: S3Configuration.Environment = { ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"][$0] }
        #expect(throws: S3Error.self) { try ContainerCredentials.provider(environment: env) }
        let https: S3Configuration.Environment = { ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://example.com/creds"][$0] }
        #expect(try ContainerCredentials.provider(environment: https) != nil)
        let metadata: S3Configuration.Environment = { ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1/"][$0] }
        #expect(throws: S3Error.self) { try InstanceMetadataCredentials.provider(environment: metadata, configEndpoint: nil) }
        #expect(try InstanceMetadataCredentials.provider(environment: { _ in nil }, configEndpoint: nil) != nil)
        let sts: S3Configuration.Environment = { ["AWS_ENDPOINT_URL_STS": "http://sts.example.com"][$0] }
        #expect(throws: S3Error.self) { try STSClient(region: "us-east-1", environment: sts) }
        #expect(try STSClient(region: "eu-west-1", environment: { _ in nil }).endpoint.host == "sts.eu-west-1.amazonaws.com")
    }

    @Test func aRoleProfileNeedsASourceAndDisabledMetadataIsNotAsked() throws {
        let (home, config) = Self.directory(with: "config", "[profile r]\nrole_arn = arn:aws:iam::1:role/x\n")
        let env: S3Configuration.Environment = { ["HOME": home, "AWS_CONFIG_FILE": config, "AWS_EC2_METADATA_DISABLED": "true"][$0] }
        do {
            _ = try S3Configuration.resolve(endpointURL: nil, profile: "r", environment: env)
            Issue.record("a role without a source must fail")
        } catch {
            #expect("\(error)".contains("neither source_profile, credential_source nor web_identity_token_file"))
        }
    }

    /// Sources later in the chain point at a closed port: reaching one would fail the resolve.
    @Test func theChainTakesSourcesInTheAWSCLIsOrder() throws {
        let (home, credentials) = Self.directory(with: "credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n")
        let closed = "http://127.0.0.1:9"
        var values = ["HOME": home, "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": credentials,
                      "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET",
                      "AWS_WEB_IDENTITY_TOKEN_FILE": home + "/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                      "AWS_ENDPOINT_URL_STS": closed, "AWS_CONTAINER_CREDENTIALS_FULL_URI": closed + "/creds",
                      "AWS_EC2_METADATA_SERVICE_ENDPOINT": closed]
        func resolve() throws -> AWSCredentials {
            let snapshot = values
            return try S3Configuration.resolve(endpointURL: nil, profile: nil, environment: { snapshot[$0] }).credentials.current()
        }
        /// Why resolving fails ("" when it succeeds).
        func failure() -> String {
            do { _ = try resolve() } catch { return "\(error)" }
            return ""
        }
        #expect(try resolve().accessKeyID == "ENVKEY")
        values["AWS_ACCESS_KEY_ID"] = nil
        // Web identity comes before the keys in ~/.aws/credentials: it is tried (and STS is closed).
        #expect(failure().contains("web identity token file"))
        values["AWS_WEB_IDENTITY_TOKEN_FILE"] = nil
        // The credentials file comes before the container endpoint and instance metadata.
        #expect(try resolve().accessKeyID == "FILEKEY")
        values["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        #expect(failure().contains("container credentials endpoint did not answer"))
        values["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = nil
        #expect(failure().contains("instance metadata at \(closed) did not answer"))
    }

    @Test func wrongRegionAnswersNameTheBucketsRegion() {
        let redirect = HTTPResponseHead(status: 301, headers: ["x-amz-bucket-region": "eu-central-1"])
        #expect(S3Client.redirectRegion(status: 301, head: redirect, body: []) == "eu-central-1")
        let malformed = Array("<Error><Code>AuthorizationHeaderMalformed</Code><Region>ap-south-1</Region></Error>".utf8)
        #expect(S3Client.redirectRegion(status: 400, head: HTTPResponseHead(status: 400), body: malformed) == "ap-south-1")
        #expect(S3Client.redirectRegion(status: 403, head: redirect, body: []) == nil)
        #expect(S3Client.redirectRegion(status: 400, head: HTTPResponseHead(status: 400), body: Array("<Error/>".utf8)) == nil)
    }

    @Test func listingsCarryTheStorageClass() throws {
        let xml = Array("""
        <ListBucketResult><IsTruncated>false</IsTruncated>
        <Contents><Key>a.jpg</Key><Size>1</Size><ETag>"x"</ETag><StorageClass>GLACIER</StorageClass></Contents>
        <Contents><Key>b.jpg</Key><Size>1</Size><ETag>"y"</ETag><StorageClass>GLACIER_IR</StorageClass></Contents>
        <Contents><Key>c.jpg</Key><Size>1</Size><ETag>"z"</ETag></Contents>
        </ListBucketResult>
        """.utf8)
        let page = try ListObjectsPage(xml: xml)
        #expect(page.objects.map(\.isArchived) == [true, false, false])
        #expect(page.objects.map(\.storageClass) == ["GLACIER", "GLACIER_IR", nil])
    }
}
