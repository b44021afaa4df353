// Syscall: the one place a system call's -1 becomes a thrown SystemError and an interrupted call
// (EINTR) is retried, after swift-nio's `syscall(blocking:where:_:)` in NIOPosix/System.swift.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` (a system call returning -1 and setting errno on failure) until it is not
/// interrupted; a failure becomes a SystemError naming `call` and `path`.
@inlinable
@discardableResult
public func systemCall<Result: FixedWidthInteger>(
    _ call: String, path: String, _ body: () -> Result
) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code != EINTR { throw SystemError(call, path: path, code: code) }
    }
}

/// Like `systemCall`, but after an interruption asks `stop` whether to give up (returning nil),
/// so a blocking read wakes up for a signal the process wants to act on.
@inlinable
public func interruptibleSystemCall<Result: FixedWidthInteger>(
    _ call: String, path: String, stop: () -> Bool, _ body: () -> Result
) throws(SystemError) -> Result? {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code != EINTR { throw SystemError(call, path: path, code: code) }
        if stop() { return nil }
    }
}
