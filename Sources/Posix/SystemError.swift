// SystemError: a failed system call, naming the call, the file it was about and errno's text,
// so every message reads `PATH: CALL failed: REASON` wherever it happened.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call failed: which call, on which file (or stream: "stdin", "stdout"), and errno.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call as a person would name it: "open", "write", "rename", "mkdir".
    public var call: String
    /// The file, directory or stream the call was about.
    public var path: String
    /// errno at the failure.
    public var code: Int32

    /// `code` defaults to errno, read at once after the failed call.
    public init(_ call: String, path: String, code: Int32 = errno) {
        self.call = call
        self.path = path
        self.code = code
    }

    /// The C library's text for `code` ("No such file or directory").
    public var reason: String { Self.reason(for: code) }

    /// The C library's text for an errno value.
    public static func reason(for code: Int32) -> String { String(cString: strerror(code)) }

    /// A file that ended before bytes known to be there (it shrank while being read): EIO.
    public static func fileShrank(_ call: String, path: String) -> SystemError {
        SystemError(call, path: path, code: EIO)
    }

    public var description: String { "\(path): \(call) failed: \(reason)" }

    /// The reading end of a pipe or socket went away (EPIPE).
    public var isBrokenPipe: Bool { code == EPIPE }
    /// The file or a directory on its path does not exist (ENOENT).
    public var isNotFound: Bool { code == ENOENT }
    /// The file exists already (EEXIST).
    public var alreadyExists: Bool { code == EEXIST }
    /// The device is full or the quota is used up (ENOSPC, EDQUOT).
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT }
}

extension SystemError: UserFacingError {
    public var message: String { description }
}
