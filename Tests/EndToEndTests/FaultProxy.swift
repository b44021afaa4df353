// FaultProxy: a small HTTP proxy (Python standard library) between a tool and the S3 server
// that answers a share of requests with 500 or 503 SlowDown, resets the connection mid-body,
// cuts the body short or flips one byte of a full-length body, and counts what it did in a
// file the test reads.
import Records
import TestUtilities

struct FaultProxy {
    let port: Int
    let statsPath: String

    static let script = #"""
    import http.client, http.server, json, random, socket, socketserver, struct, sys, threading
    upstream_port, listen_port, stats_path, fault_rate, seed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    expire_after = int(sys.argv[6])   # after this many requests, answer 403 ExpiredToken (0 = never)
    fault_kinds = sys.argv[7].split(",")   # the faults to choose from
    rng, lock = random.Random(seed), threading.Lock()
    stats = {"requests": 0, "error500": 0, "slowdown503": 0, "reset": 0, "short": 0, "corrupt": 0, "expired": 0, "range": 0, "range_start": -1, "firsthead500": 0}
    seen_heads = set()   # "firsthead500": the first HEAD of each path and query gets a 500
    def count(kind):
        with lock:
            stats[kind] = stats.get(kind, 0) + 1
            with open(stats_path + ".tmp", "w") as f: json.dump(stats, f)
            import os; os.replace(stats_path + ".tmp", stats_path)
    def choose():
        with lock:
            r = rng.random()
        if r >= fault_rate: return None
        return fault_kinds[min(len(fault_kinds) - 1, int(r / fault_rate * len(fault_kinds)))]
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def handle_one(self):
            count("requests")
            count(self.command)   # "GET", "HEAD": what a test of reuse counts
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.headers.get("Range"):
                with lock: stats["range_start"] = int(self.headers["Range"].split("=")[1].split("-")[0])
                count("range")
            if expire_after and stats["requests"] > expire_after:
                payload = b"<?xml version='1.0'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>"
                self.send_response(403); self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload))); self.end_headers(); self.wfile.write(payload)
                count("expired"); return
            if "firsthead500" in fault_kinds and self.command == "HEAD":
                with lock:
                    first = self.path not in seen_heads
                    seen_heads.add(self.path)
                if first:
                    self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers()
                    count("firsthead500"); return
            fault = choose()
            if fault in ("error500", "slowdown503"):
                code, name = (500, "InternalError") if fault == "error500" else (503, "SlowDown")
                payload = f"<?xml version='1.0'?><Error><Code>{name}</Code><Message>injected</Message></Error>".encode()
                self.send_response(code); self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload))); self.end_headers(); self.wfile.write(payload)
                count(fault); return
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            headers = {k: v for k, v in self.headers.items()}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse(); data = resp.read(); conn.close()
            if fault in ("reset", "short", "corrupt") and (len(data) < 2 or resp.status != 200):
                fault = None
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"): self.send_header(k, v)
            # A HEAD's length is the object's (or part's), not of the empty body.
            length = resp.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
            self.send_header("Content-Length", length); self.end_headers()
            if fault is None:
                self.wfile.write(data); return
            if fault == "corrupt":   # every byte arrives, one of them wrong: only the MD5 can tell
                middle = len(data) // 2
                self.wfile.write(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
                count(fault); return
            self.wfile.write(data[: len(data) // 2]); self.wfile.flush()
            if fault == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            count(fault)
            self.close_connection = True
            self.connection.close()
        do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_one
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True
    server = Server(("127.0.0.1", listen_port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()   # runs until the test process (holding the pipe) exits
    """#

    /// Starts a proxy in front of `upstreamPort`; returns when it accepts connections.
    /// - Parameters:
    ///   - expireAfter: after this many requests every answer is 403 ExpiredToken (0 = never).
    ///   - kinds: the faults injected (all by default); "firsthead500" (at any rate) answers 500
    ///     to the first HEAD of each path and query.
    static func start(upstreamPort: Int, faultRate: Double, seed: Int, expireAfter: Int = 0,
                      kinds: [String] = ["error500", "slowdown503", "reset", "short", "corrupt"]) throws -> FaultProxy {
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
        let directory = TestSupport.temporaryDirectory("proxy")
        try TestSupport.writeFile(directory + "/proxy.py", Array(script.utf8))
        let port = try TestSupport.freePort()
        let stats = directory + "/stats.json"
        try ProcessRunner.spawnGuardian("exec \"\(python)\" \"\(directory)/proxy.py\" \(upstreamPort) \(port) \"\(stats)\" \(faultRate) \(seed) \(expireAfter) \(kinds.joined(separator: ",")) > \"\(directory)/ready\" 2>\"\(directory)/log\"")
        let ready = waitUntil(timeout: 20) { !TestSupport.isFree(port) && (TestSupport.readFile(directory + "/ready")?.count ?? 0) > 0 }
        guard ready else { throw TestFailure("fault proxy did not start; see \(directory)/log") }
        return FaultProxy(port: port, statsPath: stats)
    }

    /// What the proxy did so far.
    func stats() -> [String: Int] {
        guard let bytes = TestSupport.readFile(statsPath), let object = try? JSONParser.parse(bytes).objectValue else { return [:] }
        var out: [String: Int] = [:]
        for field in object.fields { out[field.key] = field.value.intValue }
        return out
    }
}
