// MotoTestServer: starts moto's S3 server (PyPI moto[server] in .venv), the second S3
// implementation of the end-to-end suite. Unlike SeaweedFS it stores the checksums clients
// send (CRC32 by default from boto3, SHA-256 on request, composite `…-N` for multipart
// uploads) and returns them with `x-amz-checksum-mode: ENABLED`; it does not check signatures.
// Uploads with checksums go through boto3, the official SDK (see `upload`).

import TestUtilities

extension S3TestServer {
    static func startMoto() throws -> Int {
        let server = try TestSupport.findProgram("moto_server", under: ".venv/bin",
                                                 hint: "install moto with `make deps` (PyPI moto[server] into .venv)")
        let port = try TestSupport.freePort()
        let state = TestSupport.temporaryDirectory("moto")
        try supervise("\"\(server)\" -H 127.0.0.1 -p \(port) >\"\(state)/moto.log\" 2>&1 </dev/null", state: state)
        try waitUntilReady(port: port, name: "moto", log: state + "/moto.log")
        return port
    }

    /// Runs a boto3 script against this server (either kind): `s3` is a client for it that
    /// sends checksums only when asked, `args` holds `arguments`. Returns stdout.
    @discardableResult
    func boto3(_ script: String, arguments: [String] = []) throws -> String {
        let python = try TestSupport.findProgram("python3", under: ".venv/bin", hint: "install boto3 with `make deps`")
        let directory = TestSupport.temporaryDirectory("boto3")
        let prelude = """
        import sys, boto3
        from botocore.config import Config
        args = sys.argv[1:]
        s3 = boto3.client("s3", endpoint_url="\(try endpoint)", aws_access_key_id="\(Self.accessKey)",
                          aws_secret_access_key="\(Self.secretKey)", region_name="us-east-1",
                          config=Config(request_checksum_calculation="when_required", s3={"addressing_style": "path"}))

        """
        try TestSupport.writeFile(directory + "/script.py", Array((prelude + script).utf8))
        let pid = try ProcessRunner.spawn([python, directory + "/script.py"] + arguments, stdoutPath: directory + "/out",
                                        stderrPath: directory + "/err", environment: nil)
        let status = ProcessRunner.wait(pid)
        let stdout = String(decoding: TestSupport.readFile(directory + "/out") ?? [], as: UTF8.self)
        guard status == 0 else {
            throw TestFailure("boto3 script failed: " + String(decoding: TestSupport.readFile(directory + "/err") ?? [], as: UTF8.self))
        }
        return stdout
    }
}
