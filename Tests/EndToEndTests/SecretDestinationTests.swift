// The real tools refuse, before any connection, a URL that would carry a key or AWS credentials
// in clear text to another host, with one line and exit status 1. Each hostile URL names a
// loopback listener in a way that a prefix test takes for loopback and that libcurl resolves
// without DNS (userinfo, or a *.localhost name, which curl maps to 127.0.0.1 itself), so a tool
// that failed to refuse would be caught connecting — and nothing ever leaves the machine.
import Foundation
import Testing

/// A TCP socket listening on 127.0.0.1 that nobody accepts from: after a tool exits, a
/// non-blocking accept tells whether it ever connected (the kernel queues finished handshakes).
final class LoopbackListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw TestFailure("cannot listen on 127.0.0.1") }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// Whether anything has connected so far.
    func wasContacted() -> Bool {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return false }
        close(connection)
        return true
    }
}

@Suite struct SecretDestinationTests {
    static let keyCanary = "AIzaCANARY-must-never-travel"
    static let awsCanary = "aws-secret-canary-must-never-travel"

    /// Loopback in disguise: each reaches the listener through libcurl without DNS.
    static func hostileURLs(port: Int) -> [String] {
        ["http://localhost.localhost:\(port)", "http://127.0.0.1@localhost:\(port)",
         "http://localhost:\(port)@localhost:\(port)", "http://127.0.0.1:\(port)@127.0.0.1:\(port)"]
    }

    /// Runs a tool that must refuse at once. Were it to connect instead, the listener would never
    /// answer: the deadline kills it so the test fails instead of hanging.
    func runRefusing(_ tool: String, _ arguments: [String], in scratch: Scratch, environment: [String: String]) throws -> ToolProcess.Result {
        try ToolProcess.run(tool, arguments, in: scratch, environment: environment, deadline: 30)
    }

    func expectOneLineRefusal(_ result: ToolProcess.Result, tool: String, listener: LoopbackListener, url: String) {
        let lines = result.stderr.split(separator: "\n")
        #expect(result.status == 1, "\(tool) \(url): \(result.stderr)")
        #expect(lines.count == 1, "\(tool) \(url): \(result.stderr)")
        #expect(lines.first?.hasPrefix("\(tool): error: ") == true, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.contains(Self.keyCanary) && !result.stderr.contains(Self.awsCanary))
        #expect(!listener.wasContacted(), "\(tool) connected to \(url)")
    }

    @Test func geminiToolsRefuseAKeyBoundForAnotherHostBeforeConnecting() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        scratch.write("in.ndjson", #"{"id":"a","path":"/nonexistent/a.jpg","description":{"summary":"x"}}"# + "\n")
        scratch.write("categories.csv", "Category\nstreet\nanimals\n")
        for url in Self.hostileURLs(port: listener.port) {
            let environment = ["GEMINI_API_KEY": Self.keyCanary, "GOOGLE_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": url]
            let described = try runRefusing("gemini-describe", [scratch.file("in.ndjson")], in: scratch, environment: environment)
            expectOneLineRefusal(described, tool: "gemini-describe", listener: listener, url: url)
            #expect(described.stderr.contains("base URL"))
            let flagged = try runRefusing("categorize", ["--base-url", url, "--categories", scratch.file("categories.csv"), scratch.file("in.ndjson")], in: scratch,
                                          environment: ["GEMINI_API_KEY": Self.keyCanary, "GOOGLE_API_KEY": ""])
            expectOneLineRefusal(flagged, tool: "categorize", listener: listener, url: url)
        }
    }

    @Test func openAIProviderRefusesAKeyBoundForAnotherHostBeforeConnecting() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        scratch.write("in.ndjson", #"{"id":"a","path":"/nonexistent/a.jpg","description":{"summary":"x"}}"# + "\n")
        for url in Self.hostileURLs(port: listener.port) {
            let environment = ["OPENAI_API_KEY": Self.keyCanary, "OPENAI_BASE_URL": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""]
            let described = try runRefusing("gemini-describe", ["--provider", "openai", "--base-url", url, scratch.file("in.ndjson")],
                                            in: scratch, environment: environment)
            expectOneLineRefusal(described, tool: "gemini-describe", listener: listener, url: url)
            // The base URL from the environment is held to the same rule.
            let embedded = try runRefusing("embed", ["--provider", "openai", scratch.file("in.ndjson")], in: scratch,
                                           environment: environment.merging(["OPENAI_BASE_URL": url + "/v1"]) { $1 })
            expectOneLineRefusal(embedded, tool: "embed", listener: listener, url: url)
        }
    }

    @Test func s3ToolsRefusePlainHTTPToAnotherHostBeforeConnecting() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        scratch.write("list.txt", "a.jpg\n")
        scratch.write("objects.ndjson", #"{"id":"a","key":"a.jpg","bucket":"b","size":1,"etag":"x"}"# + "\n")
        let credentials = ["AWS_ACCESS_KEY_ID": "AKIDCANARY", "AWS_SECRET_ACCESS_KEY": Self.awsCanary,
                           "AWS_SESSION_TOKEN": Self.awsCanary, "HOME": scratch.path, "AWS_ENDPOINT_URL": ""]
        for url in Self.hostileURLs(port: listener.port) {
            let listed = try runRefusing("s3ls", ["--endpoint-url", url, "s3://b/p", scratch.file("list.txt")], in: scratch,
                                         environment: credentials)
            expectOneLineRefusal(listed, tool: "s3ls", listener: listener, url: url)
            let fetched = try runRefusing("s3fetch", ["--dir", scratch.file("out"), "--yes", scratch.file("objects.ndjson")], in: scratch,
                                          environment: credentials.merging(["AWS_ENDPOINT_URL": url]) { $1 })
            expectOneLineRefusal(fetched, tool: "s3fetch", listener: listener, url: url)
        }
    }

    @Test func plainHTTPToAnS3StoreElsewhereNeedsTheOptIn() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        let credentials = ["AWS_ACCESS_KEY_ID": "AKIDCANARY", "AWS_SECRET_ACCESS_KEY": Self.awsCanary, "HOME": scratch.path]
        let url = "http://localhost.localhost:\(listener.port)"
        scratch.write("list.txt", "a.jpg\n")
        let refused = try runRefusing("s3ls", ["--endpoint-url", url, "s3://b/p", scratch.file("list.txt")], in: scratch,
                                      environment: credentials)
        expectOneLineRefusal(refused, tool: "s3ls", listener: listener, url: url)
        #expect(refused.stderr.contains("IMAGEKIT_S3_ALLOW_HTTP=1"))
    }
}
