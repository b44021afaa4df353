// Helpers for end-to-end tests: run the built executables as real processes, in real pipes.
import Foundation
import Records
import TestUtilities

enum ToolProcess {
    /// The directory holding the built executables: the test bundle sits beside them.
    static let binDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["IMAGEKIT_BIN_DIR"] { return override }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }()

    static func path(_ tool: String) -> String { binDirectory + "/" + tool }

    typealias Result = ProcessOutcome

    /// Runs a tool to completion with `input` on stdin.
    static func run(_ tool: String, _ arguments: [String], input: String = "", directory: String? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        try ProcessRunner.run(path(tool), arguments, input: input, directory: directory, environment: environment)
    }

    /// Starts a tool in the background reading `stdinFile`, with stdout and stderr to new files.
    static func start(_ tool: String, _ arguments: [String], stdinFile: String? = nil, stdoutFile: String,
                      stderrFile: String, environment: [String: String] = [:]) throws -> Process {
        _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        return try ProcessRunner.start(path(tool), arguments, stdinFile: stdinFile, stdoutFile: stdoutFile,
                                       stderrFile: stderrFile, environment: environment)
    }
}

/// A temporary directory for one test.
struct Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "e2e-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: file(name), contents: text.data(using: .utf8))
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
    }

    func lines(_ name: String) -> [String] {
        read(name).split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// `n` input records with ids x0..x(n-1).
func inputRecords(_ n: Int) -> String {
    (0..<n).map { "{\"id\":\"x\($0)\",\"n\":\($0)}\n" }.joined()
}
