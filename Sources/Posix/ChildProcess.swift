// ChildProcess: runs a program and collects what it prints on stdout (stdin is /dev/null, stderr
// is ours, so a prompt reaches the person), then its exit status; finds programs on a PATH.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum ChildProcess {
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal that ended it.
        public var status: Int32
        public var stdout: [UInt8]
    }

    /// Runs `arguments[0]` (a path) with `arguments` and this process's environment.
    public static func output(of arguments: [String]) throws(SystemError) -> Output {
        var ends: [Int32] = [0, 0]
        // Children other threads start meanwhile must not hold the write end, or the read below
        // would wait for them too: on Linux both ends are close-on-exec from birth (a socket
        // pair, since Glibc's Swift module lacks pipe2); dup2 clears the flag for our child's stdout.
        #if os(Linux)
        try systemCall("socketpair", path: arguments[0]) {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends)
        }
        #else
        try systemCall("pipe", path: arguments[0]) { pipe(&ends) }
        #endif
        let reading = FileDescriptor(owning: ends[0], path: arguments[0])
        let writing = FileDescriptor(owning: ends[1], path: arguments[0])
        #if !os(Linux)
        _ = fcntl(reading.rawValue, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writing.rawValue, F_SETFD, FD_CLOEXEC)
        #endif
        let pid = try spawn(arguments, stdout: writing.rawValue)
        try writing.close()
        var stdout: [UInt8] = []
        if let rest = try? reading.readToEnd(limit: Int.max) { stdout = rest }
        var status: Int32 = 0
        _ = try? systemCall("waitpid", path: arguments[0]) { waitpid(pid, &status, 0) }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exitCode, stdout: stdout)
    }

    /// The full path of `program` in the directories of `path` (a PATH value), if executable there.
    public static func find(_ program: String, path: String?) -> String? {
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func spawn(_ arguments: [String], stdout: Int32) throws(SystemError) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        #if canImport(Darwin)
        let environment = _NSGetEnviron().pointee  // Darwin exports no `environ` to Swift
        #else
        let environment = environ
        #endif
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environment)
        guard spawned == 0 else { throw SystemError("posix_spawn", path: arguments[0], code: spawned) }
        return pid
    }
}
