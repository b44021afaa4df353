// TestSupport: helpers for end-to-end tests — run the built tools in real processes, find
// programs, free ports, temporary directories, files and MD5s, waiting on conditions.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Posix
import Records
import Synchronization
import Testing

struct TestFailure: Error, CustomStringConvertible, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The result of running a tool.
struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Every stdout line as a record; a line that is not a JSON object fails the test (it is
    /// never dropped, so a torn or doubled line cannot hide).
    var records: [Record] { strictRecords(stdout) }
}

/// Parses NDJSON text strictly: every non-empty line must be a JSON object, else the test fails
/// naming the line.
func strictRecords(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Record] {
    var records: [Record] = []
    for (number, line) in text.split(separator: "\n").enumerated() {
        guard let record = try? JSONParser.parse(Array(line.utf8)).objectValue else {
            Issue.record("line \(number + 1) is not a JSON object: \(line.prefix(200))", sourceLocation: sourceLocation)
            continue
        }
        records.append(record)
    }
    return records
}

/// Checks that `records` carry `count` ids, every one different: the list's length and its set
/// both, so a duplicate cannot hide behind a lost record. Returns the ids.
@discardableResult
func expectUniqueIDs(_ records: [Record], count: Int, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let ids = records.compactMap(\.id)
    #expect(ids.count == records.count, "records without an id", sourceLocation: sourceLocation)
    #expect(ids.count == count, "\(ids.count) ids, expected \(count)", sourceLocation: sourceLocation)
    let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    #expect(repeated.isEmpty, "ids repeated: \(repeated)", sourceLocation: sourceLocation)
    return ids
}

enum TestSupport {
    /// The package root (two levels above .build/<config>/).
    static var packageRoot: String {
        var path = executableDirectory
        while !path.isEmpty, path != "/" {
            if access(path + "/Package.swift", R_OK) == 0 { return path }
            path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        }
        return "."
    }

    /// Where the built tools are: beside the test bundle.
    static var executableDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)])
        while directory.hasSuffix(".xctest") || directory.contains(".xctest/") {
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        }
        return directory
    }

    static func tool(_ name: String) throws -> String {
        let path = executableDirectory + "/" + name
        guard access(path, X_OK) == 0 else { throw TestFailure("\(path) is not built") }
        return path
    }

    static func findProgram(_ name: String, under folder: String, hint: String) throws -> String {
        let local = packageRoot + "/" + folder + "/" + name
        if access(local, X_OK) == 0 { return local }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        throw TestFailure("\(name) not found at \(local) or on PATH: \(hint)")
    }

    /// One folder per test process for every scratch directory; a guardian removes it when
    /// the process ends.
    static let runRoot: String = {
        var template = Array("/tmp/e2e-run-XXXXXX".utf8CString)
        let root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        try? spawnGuardian("read _ignored; rm -rf '\(root)'")
        return root
    }()

    static func temporaryDirectory(_ label: String) -> String {
        var template = Array("\(runRoot)/\(label)-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw SystemError("write", path: path) }
            offset += n
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// Every regular file under `directory` (relative paths), recursively.
    static func files(under directory: String, prefix: String = "") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                found += files(under: directory + "/" + name, prefix: prefix + name + "/")
            } else {
                found.append(prefix + name)
            }
        }
        return found.sorted()
    }

    /// Deterministic pseudo-random bytes (a seeded generator, so failures reproduce).
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out[i] = UInt8(truncatingIfNeeded: state)
        }
        return out
    }

    /// Polls `condition` until it holds or `deadline` seconds pass.
    static func waitUntil(deadline: Double, _ condition: () -> Bool) -> Bool {
        let end = monotonicSeconds() + deadline
        while monotonicSeconds() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// A port P such that P…P+4 and their gRPC twins (+10000) are free on 127.0.0.1.
    static func freePortBlock() throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20000...29000)
            let ports = (0...4).flatMap { [base + $0, base + $0 + 10000] }
            if ports.allSatisfy(isFree) { return base }
        }
        throw TestFailure("no free block of loopback ports")
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Runs a shell command whose stdin is a pipe this process never closes: the command sees
    /// end of input only when the test process exits (the guardian pattern).
    static func spawnGuardian(_ command: String) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw TestFailure("pipe failed") }
        // Neither end may leak into a child (the guardian itself must not hold the write end);
        // dup2 onto the child's stdin clears the flag there.
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = try spawn(["/bin/sh", "-c", command], stdinFD: ends[0], stdoutPath: "/dev/null", stderrPath: "/dev/null", environment: nil)
        close(ends[0])
        // ends[1] stays open for the life of the process, on purpose.
    }

    /// Starts a process; returns its pid.
    static func spawn(_ arguments: [String], stdinFD: Int32? = nil, stdinPath: String? = nil, stdoutPath: String, stderrPath: String,
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
        guard code == 0 else { throw TestFailure("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
        return pid
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Runs a built tool to the end with stdin from a file.
    static func run(_ tool: String, _ arguments: [String], stdin: String? = nil, environment: [String: String],
                    scratch: String) throws -> ToolResult {
        let out = scratch + "/\(tool).\(UInt32.random(in: 0...UInt32.max)).out"
        let err = out + ".err"
        let pid = try spawn([try self.tool(tool)] + arguments, stdinPath: stdin, stdoutPath: out, stderrPath: err, environment: environment)
        let status = wait(pid)
        return ToolResult(status: status, stdout: String(decoding: readFile(out) ?? [], as: UTF8.self),
                          stderr: String(decoding: readFile(err) ?? [], as: UTF8.self))
    }
}
