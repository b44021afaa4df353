// GeminiEmulator: starts the project's emulator of the Gemini REST API on a free loopback port
// for one test, and stops it afterwards.
import Foundation
import TestUtilities

final class GeminiEmulator {
    static let apiKey = "emulator-test-key"
    let baseURL: String
    private let process: Process

    /// The package root (…/Tests/EndToEndTests/GeminiEmulator.swift → …).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The Python of the project's venv (it has Pillow), else python3 from PATH.
    static var python: String {
        let venv = packageRoot + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    init(_ arguments: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        let script = Self.packageRoot + "/emulator/gemini_emulator.py"
        process.arguments = (Self.python.hasSuffix("env") ? ["python3"] : []) + [script, "--api-key", Self.apiKey] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is the base URL, printed once the socket listens.
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("http://127.0.0.1:") else {
            process.terminate()
            throw EmulatorError(message: "the Gemini emulator did not start (got '\(text)'); run `make deps` for its venv")
        }
        baseURL = text
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct EmulatorError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The emulator's counters (GET /emulator/stats).
    func stats() throws -> [String: Any] {
        // Fetched with Python's urllib: Foundation on Linux has no HTTP in Data(contentsOf:).
        let outcome = try ProcessRunner.run(Self.python, (Self.python.hasSuffix("env") ? ["python3"] : [])
            + ["-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())",
               baseURL + "/emulator/stats"])
        return (try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// Changes the emulator's settings (POST /emulator/config with a JSON object).
    func configure(_ json: String) throws {
        let outcome = try ProcessRunner.run(Self.python, (Self.python.hasSuffix("env") ? ["python3"] : [])
            + ["-c", "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode())).read()",
               baseURL + "/emulator/config", json])
        guard outcome.status == 0 else { throw EmulatorError(message: "configuring the emulator failed") }
    }

    /// Environment for a tool run against this emulator.
    var environment: [String: String] {
        ["GEMINI_API_KEY": Self.apiKey, "GOOGLE_GEMINI_BASE_URL": baseURL, "GOOGLE_API_KEY": ""]
    }

    /// Runs a --batch `tool` against `face` and kills it with -9 once its state file
    /// (`stateFile` in scratch) names a job, while it polls. False when no job was named in time.
    func killWhilePolling(_ tool: String, _ arguments: [String], stateFile: String = "out.ndjson.batch.json", scratch: Scratch,
                          face: EmulatorFace = .gemini) throws -> Bool {
        let process = try ToolProcess.start(tool, arguments, stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"),
                                            environment: environment(face))
        // Gemini names a job batches/N, the OpenAI face batch_N.
        let created = waitUntil { scratch.read(stateFile).contains(face == .gemini ? "batches/" : #""name":"batch_"#) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return created
    }

    /// Runs a --batch `tool` whose batch creates are held after `answeredFirst` of them (the job
    /// made and counted, its answer not sent) and kills it with -9 while one is held: the window
    /// between a create and the state file's write. False when no create was held in time.
    func killWhileACreateIsHeld(_ tool: String, _ arguments: [String], answeredFirst: Int = 0, scratch: Scratch,
                                face: EmulatorFace = .gemini) throws -> Bool {
        try configure(#"{"batch_create_stall_ms": 60000, "batch_create_stall_skip": \#(answeredFirst)}"#)
        let before = try stats()["batches_created"] as? Int ?? 0
        let process = try ToolProcess.start(tool, arguments, stdoutFile: scratch.file("stdout"), stderrFile: scratch.file("stderr"),
                                            environment: environment(face))
        let held = waitUntil { (try? self.stats()["batches_created"] as? Int) == before + answeredFirst + 1 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try configure(#"{"batch_create_stall_ms": 0, "batch_create_stall_skip": 0}"#)
        return held
    }
}

/// Writes `count` JPEG files of distinct sizes and colours, made with Pillow so the test data
/// does not come from the code under test; returns their paths.
func makeTestImages(in directory: String, count: Int, baseWidth: Int = 200) throws -> [String] {
    let script = """
        import sys
        from PIL import Image
        d, n, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        for i in range(n):
            w, h = base + 37 * i, base // 2 + 23 * i
            im = Image.new("RGB", (w, h), ((i * 53) % 256, (i * 97) % 256, (i * 31 + 90) % 256))
            im.save(f"{d}/img{i:03d}.jpg", quality=90)
        """
    let outcome = try ProcessRunner.run(GeminiEmulator.python,
                                        (GeminiEmulator.python.hasSuffix("env") ? ["python3"] : []) + ["-c", script, directory, "\(count)", "\(baseWidth)"])
    guard outcome.status == 0 else { throw GeminiEmulator.EmulatorError(message: "could not make test images") }
    return (0..<count).map { String(format: "%@/img%03d.jpg", directory, $0) }
}

/// Which face of the emulator a tool talks to: the Gemini REST API, or the OpenAI-compatible one
/// (`--provider openai`), so a suite can run the same checks through both.
enum EmulatorFace: String, CaseIterable, CustomStringConvertible, Sendable {
    case gemini, openai

    var description: String { rawValue }
}

extension GeminiEmulator {
    /// The OpenAI face's base URL (what `--base-url` takes with `--provider openai`).
    var openAIBaseURL: String { baseURL + "/v1" }

    /// Arguments that point a model tool at `face` (none for Gemini: the environment does).
    func arguments(_ face: EmulatorFace) -> [String] {
        face == .openai ? ["--provider", "openai", "--base-url", openAIBaseURL] : []
    }

    /// Environment for a tool run against `face`: only that face's key is set.
    func environment(_ face: EmulatorFace) -> [String: String] {
        switch face {
        case .gemini: return environment.merging(["OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""]) { $1 }
        case .openai: return ["OPENAI_API_KEY": Self.apiKey, "OPENAI_BASE_URL": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": "",
                              "GOOGLE_GEMINI_BASE_URL": ""]
        }
    }
}
