// S3ConfigurationTests: the credential chain and endpoint rules, from fixture files.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import Testing
@testable import S3

@Suite struct S3ConfigurationTests {
    func write(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    func home() -> String {
        var template = Array("/tmp/awshome-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        mkdir(path + "/.aws", 0o700)
        return path
    }

    func environment(_ values: [String: String]) -> S3Configuration.Environment {
        { values[$0] }
    }

    @Test func environmentKeysWinWithoutAProfileFlag() throws {
        let h = home()
        write("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n", to: h + "/.aws/credentials")
        let config = try S3Configuration.resolve(endpointURL: nil, profile: nil, environment: environment(
            ["HOME": h, "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET", "AWS_SESSION_TOKEN": "T", "AWS_REGION": "eu-west-1"]))
        #expect(try config.credentials.current().accessKeyID == "ENVKEY")
        #expect(try config.credentials.current().sessionToken == "T")
        #expect(config.region == "eu-west-1")
        #expect(config.endpoint == .aws(region: "eu-west-1"))
    }

    @Test func profileFromFilesWithRegionAndEndpoint() throws {
        let h = home()
        write("[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n", to: h + "/.aws/credentials")
        write("[profile dev]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:9000/\ns3 =\n  addressing_style = path\n", to: h + "/.aws/config")
        let config = try S3Configuration.resolve(endpointURL: nil, profile: "dev", environment: environment(
            ["HOME": h, "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET"]))
        #expect(try config.credentials.current().accessKeyID == "DEVKEY")
        #expect(config.region == "ap-south-1")
        #expect(config.endpoint.host == "127.0.0.1:9000")
        #expect(config.endpoint.pathStyle)
    }

    @Test func credentialProcessIsRun() throws {
        let h = home()
        write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\", \"SecretAccessKey\": \"PROCSECRET\", \"SessionToken\": \"PT\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
              to: h + "/creds.sh")
        chmod(h + "/creds.sh", 0o700)
        write("[profile p]\ncredential_process = \(h)/creds.sh\n", to: h + "/.aws/config")
        let config = try S3Configuration.resolve(endpointURL: nil, profile: nil, environment: environment(["HOME": h, "AWS_PROFILE": "p"]))
        #expect(try config.credentials.current().accessKeyID == "PROCKEY")
        #expect(try config.credentials.current().sessionToken == "PT")
    }

    @Test func expiredProcessCredentialsAreRefused() throws {
        let h = home()
        write("[profile p]\ncredential_process = echo '{\"AccessKeyId\": \"K\", \"SecretAccessKey\": \"S\", \"Expiration\": \"2001-01-01T00:00:00Z\"}'\n",
              to: h + "/.aws/config")
        #expect(throws: S3Error.self) {
            try S3Configuration.resolve(endpointURL: nil, profile: "p", environment: environment(["HOME": h]))
        }
    }

    @Test func missingCredentialsSayWhatToDo() {
        let h = home()
        do {
            _ = try S3Configuration.resolve(endpointURL: nil, profile: nil, environment: environment(["HOME": h, "AWS_EC2_METADATA_DISABLED": "true"]))
            Issue.record("expected no credentials")
        } catch {
            #expect("\(error)".contains("AWS_ACCESS_KEY_ID"))
        }
    }

    @Test func endpointURLsArePathStyleAndRejectCredentials() throws {
        let endpoint = try S3Endpoint(url: "https://minio.local:443/base/")
        #expect(endpoint.host == "minio.local")
        #expect(endpoint.location(bucket: "b", key: "a b/c+d.jpg").path == "/base/b/a%20b/c%2Bd.jpg")
        #expect(throws: S3Error.self) { try S3Endpoint(url: "http://user:pw@host/") }
        #expect(S3Endpoint.aws(region: "us-east-1").location(bucket: "mybucket", key: "k").host == "mybucket.s3.us-east-1.amazonaws.com")
        #expect(S3Endpoint.aws(region: "us-east-1").location(bucket: "my.bucket", key: "k").path == "/my.bucket/k")
    }

    @Test func locationParsesS3URLs() {
        #expect(S3Location(url: "s3://b/p/q/") == S3Location(bucket: "b", prefix: "p/q/"))
        #expect(S3Location(url: "s3://b") == S3Location(bucket: "b", prefix: ""))
        #expect(S3Location(url: "b/p") == nil)
    }
}
