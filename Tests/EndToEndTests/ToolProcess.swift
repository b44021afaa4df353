// Helpers for end-to-end tests: run the built executables as real processes, in real pipes.
import Foundation
import Records

enum ToolProcess {
    /// The directory holding the built executables: the test bundle sits beside them.
    static let binDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["IMAGEKIT_BIN_DIR"] { return override }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }()

    static func path(_ tool: String) -> String { binDirectory + "/" + tool }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs a tool to completion with `input` on stdin.
    static func run(_ tool: String, _ arguments: [String], input: String = "", directory: String? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(tool))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both outputs concurrently so neither pipe can fill up and block the tool.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        stdin.fileHandleForWriting.write(input.data(using: .utf8)!)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts a tool in the background reading `stdinFile`, with stdout and stderr to files.
    static func start(_ tool: String, _ arguments: [String], stdinFile: String? = nil, stdoutFile: String,
                      stderrFile: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(tool))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: stdoutFile)
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        process.standardInput = stdinFile.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// Waits until `condition` holds, checking every few milliseconds, up to `timeout` seconds.
/// Returns whether it held (a test then asserts on it) — a deadline, not a fixed sleep.
func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
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

/// Parses NDJSON lines into records (a line that does not parse fails the test via nil).
func parseRecords(_ lines: [String]) -> [Record]? {
    var records: [Record] = []
    for line in lines {
        guard let value = try? JSONParser.parse(line), let record = value.objectValue else { return nil }
        records.append(record)
    }
    return records
}

/// `n` input records with ids x0..x(n-1).
func inputRecords(_ n: Int) -> String {
    (0..<n).map { "{\"id\":\"x\($0)\",\"n\":\($0)}\n" }.joined()
}
