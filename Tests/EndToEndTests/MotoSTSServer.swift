// MotoSTSServer: moto's server on a free loopback port, set up (with boto3, which moto brings)
// with a role that may read S3, an IAM user that may assume it, and a bucket with two objects;
// then moto checks signatures and policies, so only credentials its own STS issued can list.
import Records
import Synchronization
import TestUtilities

final class MotoSTSServer: Sendable {
    static let shared = MotoSTSServer()
    static let bucket = "moto-bucket"
    static let roleARN = "arn:aws:iam::123456789012:role/s3-reader"
    static let keys = ["data/a.jpg", "data/b.png"]

    struct Setup: Sendable {
        var port: Int
        var userKey: String
        var userSecret: String
        var endpoint: String { "http://127.0.0.1:\(port)" }
    }

    private let state = Mutex<Setup?>(nil)

    static let setupScript = #"""
    import boto3, json, sys
    endpoint = sys.argv[1]
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
    iam, s3 = boto3.client("iam", **kw), boto3.client("s3", **kw)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*", "Federated": "*"},
             "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]}
    iam.create_role(RoleName="s3-reader", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="s3-reader", PolicyName="read", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*"}]}))
    iam.create_user(UserName="runner")
    iam.put_user_policy(UserName="runner", PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="runner")["AccessKey"]
    s3.create_bucket(Bucket=sys.argv[2])
    for name in sys.argv[3:]: s3.put_object(Bucket=sys.argv[2], Key=name, Body=name.encode())
    print(json.dumps({"key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
    """#

    /// The server, started and set up the first time.
    func setup() throws -> Setup {
        try state.withLock { state in
            if let state { return state }
            let setup = try Self.start()
            state = setup
            return setup
        }
    }

    /// From now on the first `count` actions go unchecked, every later one must be signed by
    /// a known identity whose policies allow it (moto's reset-auth).
    func enforceAuthentication(afterUnchecked count: Int) throws {
        let setup = try setup()
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
        let post = "import sys, urllib.request; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={'Content-Type': 'text/plain'}, method='POST')).read().decode())"
        let result = try Self.output(of: [python, "-c", post, setup.endpoint + "/moto-api/reset-auth", "\(count)"])
        guard result.contains("\"ok\"") else { throw TestFailure("moto reset-auth failed: \(result)") }
    }

    private static func start() throws -> Setup {
        let server = try TestSupport.findProgram("moto_server", under: ".venv/bin", hint: "install moto[server] with `make deps`")
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
        let directory = TestSupport.temporaryDirectory("moto")
        let port = try PythonTestServer.freePort()
        // Under the guardian that stops it when the test process ends (moto never reads stdin,
        // so an exec'ed server would outlive us).
        try S3TestServer.supervise("\"\(server)\" -H 127.0.0.1 -p \(port) > \"\(directory)/log\" 2>&1", state: directory + "/state")
        guard waitUntil(timeout: 30, { !TestSupport.isFree(port) }) else {
            throw TestFailure("moto did not start; see \(directory)/log")
        }
        try TestSupport.writeFile(directory + "/setup.py", Array(setupScript.utf8))
        let output = try output(of: [python, directory + "/setup.py", "http://127.0.0.1:\(port)", bucket] + keys)
        guard let object = try? JSONParser.parse(Array(output.utf8)).objectValue,
              let key = object["key"]?.stringValue, let secret = object["secret"]?.stringValue else {
            throw TestFailure("moto setup failed: \(output)")
        }
        return Setup(port: port, userKey: key, userSecret: secret)
    }

    /// Runs a program to the end; its stdout (stderr appended, for failure messages).
    private static func output(of arguments: [String]) throws -> String {
        let base = TestSupport.temporaryDirectory("moto-run") + "/out"
        let pid = try ProcessRunner.spawn(arguments, stdoutPath: base, stderrPath: base + ".err", environment: nil)
        _ = ProcessRunner.wait(pid)
        return String(decoding: (TestSupport.readFile(base) ?? []) + (TestSupport.readFile(base + ".err") ?? []), as: UTF8.self)
    }
}
