// PythonTestServer: starts a small HTTP server written in Python (standard library) on a free
// loopback port and waits until it accepts connections. The script defines a `Handler` class;
// the shared tail below serves it threaded and runs until the test process (holding the
// guardian pipe) exits. argv[1] is the port, argv[2] the stats file (`save_stats` writes it
// atomically), the script's own arguments follow.
import TestUtilities
enum PythonTestServer {
    static let prelude = #"""
    import json, os
    def save_stats(path, stats):
        with open(path + ".tmp", "w") as f: json.dump(stats, f)
        os.replace(path + ".tmp", path)

    """#

    static let tail = #"""

    import http.server as _http_server, socketserver as _socketserver, sys as _sys, threading as _threading
    class _Server(_socketserver.ThreadingMixIn, _http_server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True
    _server = _Server(("127.0.0.1", int(_sys.argv[1])), Handler)
    _threading.Thread(target=_server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    _sys.stdin.read()
    """#

    /// Runs `script` with the port, the stats file and `arguments`; returns the port and the
    /// server's scratch directory (holding `stats.json` and its `log`).
    static func start(_ label: String, script: String, arguments: [String]) throws -> (port: Int, directory: String) {
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install python3")
        let directory = TestSupport.temporaryDirectory(label)
        try TestSupport.writeFile(directory + "/server.py", Array((prelude + script + tail).utf8))
        let port = try freePort()
        let quoted = arguments.map { "'" + $0.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }
            .joined(separator: " ")
        try ProcessRunner.spawnGuardian("exec \"\(python)\" \"\(directory)/server.py\" \(port) \"\(directory)/stats.json\" \(quoted) > \"\(directory)/ready\" 2>\"\(directory)/log\"")
        let ready = waitUntil(timeout: 20) { !TestSupport.isFree(port) && (TestSupport.readFile(directory + "/ready")?.count ?? 0) > 0 }
        guard ready else { throw TestFailure("\(label) did not start; see \(directory)/log") }
        return (port, directory)
    }

    static func freePort() throws -> Int { try TestSupport.freePort() }
}
