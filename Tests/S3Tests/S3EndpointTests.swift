// S3EndpointTests: an --endpoint-url / AWS_ENDPOINT_URL goes through EndpointURL: plain http only
// to loopback unless the user opts in with IMAGEKIT_S3_ALLOW_HTTP=1, and never a deceptive URL.
import Testing
@testable import S3

@Suite struct S3EndpointTests {
    func resolve(_ endpoint: String, _ extra: [String: String] = [:]) throws -> S3Configuration {
        let values = ["HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET",
                      "AWS_SESSION_TOKEN": "TOKEN"].merging(extra) { $1 }
        return try S3Configuration.resolve(endpointURL: endpoint, profile: nil, environment: { values[$0] })
    }

    @Test func loopbackOverPlainHTTPAndAnyHostOverHTTPSAreUsed() throws {
        #expect(try resolve("http://127.0.0.1:8333").endpoint.host == "127.0.0.1:8333")
        #expect(try resolve("http://[::1]:9000/s3/").endpoint == S3Endpoint(scheme: "http", host: "[::1]:9000", basePath: "/s3", pathStyle: true))
        #expect(try resolve("HTTP://LOCALHOST:80").endpoint.host == "localhost")
        #expect(try resolve("https://storage.example.com").endpoint.scheme == "https")
    }

    @Test(arguments: ["http://storage.example.com:9000", "http://localhost.evil.com", "http://0x7f.1", "http://127.1"])
    func plainHTTPToAnotherHostIsRefusedUnlessTheUserOptsIn(url: String) throws {
        do {
            _ = try resolve(url)
            Issue.record("accepted \(url)")
        } catch {
            #expect("\(error)".contains("clear text"))
            #expect("\(error)".contains("IMAGEKIT_S3_ALLOW_HTTP=1"))
            #expect(!"\(error)".contains("SECRET") && !"\(error)".contains("TOKEN"))
        }
        #expect(try resolve(url, ["IMAGEKIT_S3_ALLOW_HTTP": "1"]).endpoint.scheme == "http")
    }

    @Test(arguments: ["http://127.0.0.1@evil.com", "http://localhost:80@evil.com", "http://%6c%6f%63%61%6c%68%6f%73%74:8333",
                      "http://127.0.0.1:8333?x=1", "ftp://127.0.0.1"])
    func deceptiveEndpointsAreRefusedEvenWithTheOptIn(url: String) {
        #expect(throws: S3Error.self) { try resolve(url, ["IMAGEKIT_S3_ALLOW_HTTP": "1"]) }
    }
}
