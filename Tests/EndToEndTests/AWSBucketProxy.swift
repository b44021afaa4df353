// AWSBucketProxy: a small HTTP proxy in front of SeaweedFS that plays AWS for one bucket:
// requests signed for another region than the bucket's get 301 PermanentRedirect (with
// x-amz-bucket-region) or 400 AuthorizationHeaderMalformed (with <Region>); keys under
// `kms/` come back SSE-KMS (a non-MD5 ETag in the listing and the GET, the
// x-amz-server-side-encryption header); keys under `archive/` are GLACIER in the listing and
// 403 InvalidObjectState on GET until a RestoreObject request (which this fake completes at
// once); keys under `tiering/` are INTELLIGENT_TIERING in the listing and in its Archive Access
// tier (403 InvalidObjectState too). A requester-pays bucket refuses requests without x-amz-request-payer. It counts every request in a stats file the test reads.
import Records

struct AWSBucketProxy {
    let port: Int
    let statsPath: String

    enum WrongRegionAnswer: String {
        case permanentRedirect = "301"
        case authorizationHeaderMalformed = "400"
    }

    static let script = #"""
    import hashlib, http.client, http.server, json, re, sys, threading, urllib.parse
    stats_path, upstream_port, bucket, region, mode = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    requester_pays = sys.argv[7] == "1"
    lock = threading.Lock()
    stats = {"requests": 0, "payer_missing": 0, "wrong_region": 0, "archived_get": 0, "restore": 0, "restore_bodies": {}, "kms_get": 0, "gets": {}}
    restored = set()
    def save(): save_stats(stats_path, stats)
    def count(kind, key=None):
        with lock:
            stats[kind] += 1
            if key is not None: stats["gets"][key] = stats["gets"].get(key, 0) + 1
            save()
    def kms_etag(key):   # 32 hex digits that are not the body's MD5, as SSE-KMS ETags are
        return hashlib.md5(b"kms-data-key:" + key.encode()).hexdigest()
    def rewrite_listing(xml):
        encoded = b"<EncodingType>url</EncodingType>" in xml
        def one(match):
            block = match.group(0)
            raw = re.search(rb"<Key>(.*?)</Key>", block).group(1).decode()
            key = urllib.parse.unquote_plus(raw) if encoded else raw
            if key.startswith("kms/"):
                block = re.sub(rb"<ETag>.*?</ETag>", b"<ETag>&#34;" + kms_etag(key).encode() + b"&#34;</ETag>", block)
            if key.startswith(("archive/", "tiering/")):
                block = re.sub(rb"<StorageClass>.*?</StorageClass>", b"", block)
                storage = b"GLACIER" if key.startswith("archive/") else b"INTELLIGENT_TIERING"
                block = block.replace(b"</Contents>", b"<StorageClass>" + storage + b"</StorageClass></Contents>")
            return block
        return re.sub(rb"<Contents>.*?</Contents>", one, xml, flags=re.S)
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def reply(self, status, payload, headers=()):
            self.send_response(status)
            for k, v in headers: self.send_header(k, v)
            self.send_header("Content-Type", "application/xml"); self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD": self.wfile.write(payload)
        def handle_one(self):
            count("requests")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            url = urllib.parse.urlsplit(self.path)
            parts = url.path.split("/", 2)
            ours = len(parts) > 1 and parts[1] == bucket
            key = urllib.parse.unquote(parts[2]) if ours and len(parts) > 2 else ""
            if ours:
                scope = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/s3/", self.headers.get("Authorization", ""))
                signed_for = scope.group(1) if scope else ""
                if signed_for != region:
                    count("wrong_region")
                    if mode == "301" or self.command == "HEAD":
                        payload = (f"<?xml version='1.0'?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message>"
                                   f"<Endpoint>{bucket}.s3.{region}.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket></Error>").encode()
                        return self.reply(301, payload, [("x-amz-bucket-region", region)])
                    payload = (f"<?xml version='1.0'?><Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; "
                               f"the region '{signed_for}' is wrong; expecting '{region}'</Message><Region>{region}</Region></Error>").encode()
                    return self.reply(400, payload)
                if requester_pays and self.headers.get("x-amz-request-payer") != "requester":
                    count("payer_missing")
                    return self.reply(403, b"<?xml version='1.0'?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")
                archived = key.startswith(("archive/", "tiering/"))
                if archived and self.command == "POST" and "restore" in urllib.parse.parse_qs(url.query, keep_blank_values=True):
                    with lock:
                        stats["restore_bodies"][key] = (body or b"").decode()
                        again = key in restored
                        restored.add(key)
                    count("restore")
                    return self.reply(200 if again else 202, b"")
                if archived and self.command == "GET" and key not in restored:
                    count("archived_get", key)
                    storage = b"<StorageClass>GLACIER</StorageClass>" if key.startswith("archive/") else b"<StorageClass>INTELLIGENT_TIERING</StorageClass><AccessTier>ARCHIVE_ACCESS</AccessTier>"
                    payload = b"<?xml version='1.0'?><Error><Code>InvalidObjectState</Code><Message>The operation is not valid for the object's storage class</Message>" + storage + b"</Error>"
                    return self.reply(403, payload)
                if key and self.command == "GET":
                    if key.startswith("kms/"): count("kms_get")
                    self.note_get(key)
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            conn.request(self.command, self.path, body=body, headers={k: v for k, v in self.headers.items()})
            resp = conn.getresponse(); data = resp.read(); conn.close()
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in ("transfer-encoding", "connection", "content-length")]
            if ours and not key and self.command == "GET" and resp.status == 200:
                data = rewrite_listing(data)
            if ours and key.startswith("kms/") and resp.status in (200, 206):
                headers = [(k, v) for k, v in headers if k.lower() != "etag"]
                headers += [("ETag", '"' + kms_etag(key) + '"'), ("x-amz-server-side-encryption", "aws:kms"),
                            ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:" + region + ":123456789012:key/test")]
            self.send_response(resp.status)
            for k, v in headers: self.send_header(k, v)
            self.send_header("Content-Length", str(len(data))); self.end_headers()
            if self.command != "HEAD": self.wfile.write(data)
        def note_get(self, key):
            with lock:
                stats["gets"][key] = stats["gets"].get(key, 0) + 1
                save()
        do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_one
    """#

    /// Starts a proxy that plays AWS for `bucket` in `region`, answering wrong-region requests
    /// the way `answer` says; returns when it accepts connections.
    /// - Parameter requesterPays: requests without `x-amz-request-payer: requester` get 403 AccessDenied.
    static func start(upstreamPort: Int, bucket: String, region: String, answer: WrongRegionAnswer,
                      requesterPays: Bool = false) throws -> AWSBucketProxy {
        let (port, directory) = try PythonTestServer.start("awsproxy", script: script, arguments: [
            String(upstreamPort), bucket, region, answer.rawValue, requesterPays ? "1" : "0"])
        return AWSBucketProxy(port: port, statsPath: directory + "/stats.json")
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The counters, `gets`: GET requests per key that reached the object (or its 403), and
    /// the body of each key's RestoreObject request.
    func stats() -> (counts: [String: Int], gets: [String: Int], restoreBodies: [String: String]) {
        guard let bytes = TestSupport.readFile(statsPath), let object = try? JSONParser.parse(bytes).objectValue else { return ([:], [:], [:]) }
        var counts: [String: Int] = [:]
        var gets: [String: Int] = [:]
        for field in object.fields {
            if let value = field.value.intValue { counts[field.key] = value }
        }
        for field in object["gets"]?.objectValue?.fields ?? [] { gets[field.key] = field.value.intValue }
        var bodies: [String: String] = [:]
        for field in object["restore_bodies"]?.objectValue?.fields ?? [] { bodies[field.key] = field.value.stringValue }
        return (counts, gets, bodies)
    }
}
