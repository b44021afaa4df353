// PipelineSupport: what the pipeline tests share — the package's scripts and make run in real
// processes with a clean environment, a SeaweedFS and a Gemini emulator per test (stopped by a
// guardian shell), the process tree under make, and file checks.
import Foundation
import TestUtilities

enum PipelineSupport {
    /// The package root (…/Tests/EndToEndTests/PipelineSupport.swift → …).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let python: String = {
        let venv = root + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3"
    }()

    /// The environment of a user with nothing configured: no AWS or Gemini settings, an empty
    /// HOME, the debug tools used through TOOLS_BIN (no release build in tests).
    static func cleanEnvironment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !(key.hasPrefix("AWS_") || key.hasPrefix("GEMINI_") || key.hasPrefix("GOOGLE_") || key.hasPrefix("MAKE")
              || key == "MFLAGS")
        }
        environment["HOME"] = home
        environment["TOOLS_BIN"] = ToolProcess.binDirectory
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        // Without keys the chain ends at EC2 instance metadata: tests never ask the network.
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        return environment.merging(extra) { $1 }
    }

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs a program to completion, stdout and stderr together in one log file.
    static func run(_ program: String, _ arguments: [String], in directory: String,
                    environment: [String: String], log: String) throws -> Outcome {
        let process = try start(program, arguments, in: directory, environment: environment, log: log)
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return Outcome(status: process.terminationStatus, output: output)
    }

    static func start(_ program: String, _ arguments: [String], in directory: String,
                      environment: [String: String], log: String) throws -> Process {
        try ProcessRunner.start(program.hasPrefix("/") ? program : "/usr/bin/env", (program.hasPrefix("/") ? [] : [program]) + arguments,
                                stdoutFile: log, stderrFile: log, directory: directory, replacingEnvironment: environment)
    }

    /// Files under `directory` (relative paths), recursively.
    static func files(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Paths among `paths` that Pillow cannot fully decode (an independent decoder, not ours).
    static func undecodable(_ paths: [String]) throws -> [String] {
        guard !paths.isEmpty else { return [] }
        let script = """
            import sys
            from PIL import Image
            for path in sys.stdin.read().split("\\n"):
                if not path:
                    continue
                try:
                    with Image.open(path) as image:
                        image.load()
                except Exception as error:
                    print(path, error)
            """
        let outcome = try ProcessRunner.run(python, ["-c", script], input: paths.joined(separator: "\n"))
        guard outcome.status == 0 else { throw PipelineTestError("the decode check could not run (Pillow in .venv: make deps)") }
        return outcome.stdoutLines
    }

    /// The non-empty lines of a file (none when it does not exist).
    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Lines of a file (0 when it does not exist).
    static func lineCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// The state letter of a process (R, S, D, T, Z …), nil when it is gone.
    static func processState(_ pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first?.first
    }

    /// Live processes descending from `ancestor`, as (pid, command name): a walk down the
    /// kernel's children lists, cheap enough to repeat every millisecond.
    static func descendants(of ancestor: pid_t) -> [(pid: pid_t, name: String)] {
        var found: [(pid: pid_t, name: String)] = []
        var queue = [ancestor]
        while let pid = queue.popLast() {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                for child in children.split(separator: " ").compactMap({ pid_t($0) }) {
                    // A zombie has exited already: killing it would do nothing.
                    guard let state = processState(child), state != "Z" else { continue }
                    let name = ((try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? "")
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    found.append((child, name))
                    queue.append(child)
                }
            }
        }
        return found
    }
}

struct PipelineTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A deterministic random source (Knuth's MMIX linear congruential generator, high bits out), so
/// the crash moments are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (state >> 32) | (state << 32)
    }
}

/// The local servers of one pipeline test: a SeaweedFS (through scripts/seaweedfs.sh, as the
/// demo starts it) and a Gemini emulator. A guardian shell owns both: `stop()` (or the end of
/// the test process, which closes our end of its pipe) makes it stop them; both stay in its
/// process group, so a test runner that kills the group takes them along.
final class PipelineServers {
    let s3Environment: [String: String]
    let geminiBaseURL: String
    private let guardian: GuardianShell
    private let state = NSTemporaryDirectory() + "pipeline-servers-" + UUID().uuidString

    /// The S3 environment for the tools plus the emulator's key and URL.
    var environment: [String: String] {
        s3Environment.merging(["GEMINI_API_KEY": "emulator-key", "GOOGLE_GEMINI_BASE_URL": geminiBaseURL]) { $1 }
    }

    init() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let root = PipelineSupport.root
        let command = """
            "\(PipelineSupport.python)" "\(root)/emulator/gemini_emulator.py" --port 0 --latency-ms 25 \
              >"\(state)/emulator.url" 2>"\(state)/emulator.log" </dev/null &
            emulator=$!
            "\(root)/scripts/seaweedfs.sh" start "\(state)/s3" >"\(state)/s3.env" 2>"\(state)/s3.log" </dev/null \
              || echo failed >"\(state)/s3.failed"
            read _ignored
            kill $emulator
            "\(root)/scripts/seaweedfs.sh" stop "\(state)/s3" 2>/dev/null
            rm -rf "\(state)"
            """
        guardian = try GuardianShell(command)

        let state = self.state
        let ready = waitUntil(timeout: 90) {
            FileManager.default.fileExists(atPath: state + "/s3.failed") || PipelineSupport.lineCount(state + "/s3.env") >= 3
        }
        guard ready, !FileManager.default.fileExists(atPath: state + "/s3.failed") else {
            let log = (try? String(contentsOfFile: state + "/s3.log", encoding: .utf8)) ?? ""
            guardian.stop()
            throw PipelineTestError("SeaweedFS did not start (make deps installs it): \(log)")
        }
        var s3: [String: String] = [:]
        for line in PipelineSupport.lines(state + "/s3.env") where line.hasPrefix("export ") {
            for assignment in line.dropFirst(7).split(separator: " ") {
                let parts = assignment.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { s3[String(parts[0])] = String(parts[1]) }
            }
        }
        s3Environment = s3
        guard waitUntil(timeout: 30, { PipelineSupport.lineCount(state + "/emulator.url") >= 1 }),
              let url = PipelineSupport.lines(state + "/emulator.url").first, url.hasPrefix("http://127.0.0.1:") else {
            guardian.stop()
            throw PipelineTestError("the Gemini emulator did not start (make deps installs its Pillow)")
        }
        geminiBaseURL = url
    }

    /// Stops both servers and waits until they are gone.
    func stop() { guardian.stop() }

    /// Uploads files into the server (scripts/s3-upload.py, as the demo does).
    func upload(_ files: [String], bucket: String, prefix: String, log: String) throws {
        let environment = ProcessInfo.processInfo.environment.merging(s3Environment) { $1 }
        let outcome = try PipelineSupport.run(PipelineSupport.python,
                                              [PipelineSupport.root + "/scripts/s3-upload.py", "--bucket", bucket, "--prefix", prefix] + files,
                                              in: PipelineSupport.root, environment: environment, log: log)
        guard outcome.status == 0 else { throw PipelineTestError("upload failed: \(outcome.output)") }
    }
}
