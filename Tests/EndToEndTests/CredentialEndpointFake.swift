// CredentialEndpointFake: a fake EC2 instance metadata service (IMDSv2) and a fake container
// credentials endpoint (ECS, Batch, EKS Pod Identity) on loopback. Both hand out the given
// keys with an empty Token (SeaweedFS refuses session tokens it did not issue) and an
// Expiration `lifetime` seconds after each fetch, and count the fetches in a stats file.
import Records

struct CredentialEndpointFake {
    let port: Int
    let statsPath: String
    static let containerPath = "/v2/credentials/task-1234"
    static let containerToken = "container-auth-token-not-real"
    static let role = "s3-reader-role"

    static let script = #"""
    import datetime, http.server, json, sys, threading
    stats_path, key, secret, lifetime = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    container_path, container_token, role = sys.argv[6], sys.argv[7], sys.argv[8]
    lock = threading.Lock()
    stats = {"tokens": 0, "imds_credentials": 0, "container_credentials": 0, "refused": 0, "first_fetch": 0}
    issued = set()
    def count(kind):
        with lock:
            stats[kind] += 1
            if kind.endswith("_credentials") and not stats["first_fetch"]:
                stats["first_fetch"] = datetime.datetime.now(datetime.timezone.utc).timestamp()
            save_stats(stats_path, stats)
    def credentials():
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
        return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key, "SecretAccessKey": secret, "Token": "",
                "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def answer(self, status, body, kind=None):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status); self.send_header("Content-Length", str(len(data))); self.end_headers()
            self.wfile.write(data)
            if kind: count(kind)
        def do_PUT(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length: self.rfile.read(length)
            if self.path != "/latest/api/token" or not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.answer(400, "", "refused")
            token = "imds-token-%d" % (stats["tokens"] + 1)
            with lock: issued.add(token)
            self.answer(200, token, "tokens")
        def do_GET(self):
            if self.path == container_path:
                if self.headers.get("Authorization") != container_token: return self.answer(401, "", "refused")
                return self.answer(200, credentials(), "container_credentials")
            if self.path.startswith("/latest/meta-data/iam/security-credentials/"):
                if self.headers.get("X-aws-ec2-metadata-token") not in issued: return self.answer(401, "", "refused")
                rest = self.path[len("/latest/meta-data/iam/security-credentials/"):]
                if rest == "": return self.answer(200, role)
                if rest == role: return self.answer(200, credentials(), "imds_credentials")
            self.answer(404, "", "refused")
    """#

    /// Starts the fake; it hands out `key`/`secret` valid for `lifetime` seconds per fetch.
    static func start(key: String, secret: String, lifetime: Int) throws -> CredentialEndpointFake {
        let (port, directory) = try PythonTestServer.start("credfake", script: script, arguments: [
            key, secret, String(lifetime), containerPath, containerToken, role])
        return CredentialEndpointFake(port: port, statsPath: directory + "/stats.json")
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// What the fake counted so far (first_fetch: seconds since the epoch, 0 before any).
    func stats() -> [String: Double] {
        guard let bytes = TestSupport.readFile(statsPath), let object = try? JSONParser.parse(bytes).objectValue else { return [:] }
        var out: [String: Double] = [:]
        for field in object.fields { out[field.key] = field.value.doubleValue ?? field.value.intValue.map(Double.init) }
        return out
    }
}
