// A real OpenAI-compatible server nobody here wrote in front of the emulator: LiteLLM's proxy
// (PyPI litellm[proxy], installed by `scripts/deps.sh --test` (make test) into .venv-litellm) on 127.0.0.1 routes an OpenAI-style model
// name to the emulator's Gemini face; gemini-describe --provider openai goes through it with the
// proxy's master key as OPENAI_API_KEY. A missing install fails the test (make test installs it).
// LiteLLM is kept on the machine: its model-price download is switched off
// (LITELLM_LOCAL_MODEL_COST_MAP) and any other outbound call meets a dead proxy on loopback.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct LiteLLMProxyTests {
    static let executable = GeminiEmulator.packageRoot + "/.venv-litellm/bin/litellm"

    @Test func describeGoesThroughLiteLLMToTheGeminiFace() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable),
                     "litellm[proxy] is not installed in .venv-litellm: run scripts/deps.sh --test (make test does)")
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }
        let port = try TestSupport.freePort()
        let masterKey = "sk-litellm-test-\(UUID().uuidString)"
        scratch.write("litellm.yaml", """
            model_list:
              - model_name: vision-model
                litellm_params:
                  model: gemini/gemini-2.5-flash-lite
                  api_key: os.environ/GEMINI_API_KEY
                  api_base: \(emulator.baseURL)/v1beta
            litellm_settings:
              telemetry: false
            """)
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: Self.executable)
        proxy.arguments = ["--config", scratch.file("litellm.yaml"), "--host", "127.0.0.1", "--port", "\(port)"]
        proxy.environment = ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "GEMINI_API_KEY": GeminiEmulator.apiKey,
                             "LITELLM_MASTER_KEY": masterKey, "LITELLM_LOCAL_MODEL_COST_MAP": "True",
                             "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1,localhost"]
        proxy.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        proxy.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = scratch.file("litellm.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        proxy.standardError = FileHandle(forWritingAtPath: log)
        try proxy.run()
        defer {
            kill(proxy.processIdentifier, SIGKILL)
            proxy.waitUntilExit()
        }
        // uvicorn binds its port once the app has started.
        let listening = waitUntil(timeout: 240) { !TestSupport.isFree(port) || !proxy.isRunning }
        try #require(listening && proxy.isRunning, "LiteLLM did not start: \(scratch.lines("litellm.log").suffix(20).joined(separator: "\n"))")

        let images = try makeTestImages(in: scratch.path, count: 10, baseWidth: 96)
        let base = "http://127.0.0.1:\(port)/v1"
        let result = try ToolProcess.run("gemini-describe", ["--provider", "openai", "--base-url", base, "--model", "vision-model", "--concurrency", "4"],
                                         input: images.joined(separator: "\n") + "\n",
                                         environment: ["OPENAI_API_KEY": masterKey, "OPENAI_BASE_URL": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try #require(parseRecords(result.stdoutLines)).sorted { ($0.id ?? "") < ($1.id ?? "") }
        #expect(records.count == 10)
        for (i, record) in records.enumerated() {
            let width = 96 + 37 * i, height = 48 + 23 * i
            #expect(!record.hasError, "\(record)")
            // The emulator behind LiteLLM decoded this very image: its size is in the summary.
            #expect(record["summary"]?.stringValue?.contains("(\(width)x\(height) pixels)") == true)
            #expect(record["description"]?["objects"]?.arrayValue?.isEmpty == false)
            #expect(record["description"]?["scene"]?["indoor_outdoor"]?.stringValue.map { ["indoor", "outdoor", "unknown"].contains($0) } == true)
            #expect(record["endpoint"]?.stringValue == base)
            #expect(record["usage"]?["input_tokens"]?.intValue ?? 0 > 258)
            #expect(record["finish_reason"]?.stringValue == "STOP")
        }
        #expect((try emulator.stats()["images"] as? Int) == 10)
        #expect(!result.stderr.contains(masterKey) && !result.stdout.contains(masterKey))
    }
}
