// ProcessRunner: programs run by tests in real processes — to the end with text on stdin and
// both outputs captured, or in the background with files for stdin, stdout and stderr.
import Foundation

/// How a program ended and what it wrote.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

public enum ProcessRunner {
    /// Runs `executable` to the end with `input` on stdin. `environment` is added to this
    /// process's own (nil adds nothing); `replacingEnvironment` is used instead of it.
    public static func run(_ executable: String, _ arguments: [String], input: String = "", directory: String? = nil,
                           environment: [String: String] = [:],
                           replacingEnvironment: [String: String]? = nil) throws -> ProcessOutcome {
        let process = makeProcess(executable, arguments, directory: directory, environment: environment,
                                  replacingEnvironment: replacingEnvironment)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both outputs concurrently so neither pipe can fill up and block the program.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        stdin.fileHandleForWriting.write(input.data(using: .utf8)!)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return ProcessOutcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                              stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts `executable` in the background reading `stdinFile` (else nothing), with stdout and
    /// stderr appended to files (one file for both when the paths are equal).
    public static func start(_ executable: String, _ arguments: [String], stdinFile: String? = nil, stdoutFile: String,
                             stderrFile: String, directory: String? = nil,
                             environment: [String: String] = [:],
                             replacingEnvironment: [String: String]? = nil) throws -> Process {
        let process = makeProcess(executable, arguments, directory: directory, environment: environment,
                                  replacingEnvironment: replacingEnvironment)
        let output = try appending(to: stdoutFile)
        process.standardOutput = output
        process.standardError = stderrFile == stdoutFile ? output : try appending(to: stderrFile)
        process.standardInput = stdinFile.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func makeProcess(_ executable: String, _ arguments: [String], directory: String?,
                                    environment: [String: String], replacingEnvironment: [String: String]?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = replacingEnvironment ?? ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return process
    }

    private static func appending(to path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        return handle
    }

    /// Like `run(_:stdinPath:stdoutPath:stderrPath:environment:deadline:)`, then reads both
    /// files back; status -1 when the program was killed at the deadline.
    public static func runReadingBack(_ arguments: [String], stdinPath: String? = nil, stdoutPath: String, stderrPath: String,
                                      environment: [String: String]?, deadline: Double? = nil) throws -> ProcessOutcome {
        let status = try run(arguments, stdinPath: stdinPath, stdoutPath: stdoutPath, stderrPath: stderrPath,
                             environment: environment, deadline: deadline)
        func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return ProcessOutcome(status: status ?? -1, stdout: text(stdoutPath), stderr: text(stderrPath))
    }

    /// Runs `arguments` with stdin from a file (else nothing) and stdout and stderr to files;
    /// its exit status (128 + N for signal N), or nil when it was still running after `deadline`
    /// seconds and was killed.
    public static func run(_ arguments: [String], stdinPath: String? = nil, stdoutPath: String, stderrPath: String,
                           environment: [String: String]?, deadline: Double? = nil) throws -> Int32? {
        let pid = try spawn(arguments, stdinPath: stdinPath, stdoutPath: stdoutPath, stderrPath: stderrPath, environment: environment)
        guard let deadline else { return wait(pid) }
        var status: Int32 = 0
        guard waitUntil(timeout: deadline, { waitpid(pid, &status, WNOHANG) == pid }) else {
            kill(pid, SIGKILL)
            _ = wait(pid)
            return nil
        }
        return exitStatus(status)
    }

    // The posix_spawn door: a pid to signal or wait for, and signal dispositions reset in the child.

    /// Runs a shell command whose stdin is a pipe this process never closes: the command sees
    /// end of input only when the test process exits (the guardian pattern).
    public static func spawnGuardian(_ command: String) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SpawnError("pipe failed") }
        // Neither end may leak into a child (the guardian itself must not hold the write end);
        // dup2 onto the child's stdin clears the flag there.
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = try spawn(["/bin/sh", "-c", command], stdinFD: ends[0], stdoutPath: "/dev/null", stderrPath: "/dev/null", environment: nil)
        close(ends[0])
        // ends[1] stays open for the life of the process, on purpose.
    }

    /// Starts a process; returns its pid.
    public static func spawn(_ arguments: [String], stdinFD: Int32? = nil, stdinPath: String? = nil, stdoutPath: String, stderrPath: String,
                      environment: [String: String]?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD {
            posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of ours: a long-lived child (a server, a guardian) holding the write end
        // of another test's pipe (Foundation's Pipe is not close-on-exec) would keep that test
        // waiting for end of file until the test process ends.
        // (glibc 2.34+ has closefrom for spawn actions; Swift's Glibc module does not declare it.)
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        // Children start with no blocked signals and default handlers (the test runner may
        // block or ignore some, and a child would inherit that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let code: Int32
        if envp != nil {
            code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, &envp!)
        } else {
            code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        }
        guard code == 0 else { throw SpawnError("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
        return pid
    }

    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return exitStatus(status)
    }

    /// The shell's number for a waitpid status: the exit code, or 128 + the signal.
    static func exitStatus(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// A process could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
