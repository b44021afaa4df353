// The EINTR retry and the error every failed call becomes: the call, the path and errno's text.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Posix

@Suite struct SyscallTests {
    @Test func anInterruptedCallIsRepeatedUntilItAnswers() throws {
        var calls = 0
        let result = try systemCall("read", path: "somewhere") { () -> Int in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 42
        }
        #expect(result == 42)
        #expect(calls == 3)
    }

    @Test func aFailureOtherThanInterruptionIsThrownAtOnceNamingCallAndPath() {
        var calls = 0
        #expect(throws: SystemError("write", path: "out.txt", code: ENOSPC)) {
            try systemCall("write", path: "out.txt") { () -> Int in
                calls += 1
                errno = ENOSPC
                return -1
            }
        }
        #expect(calls == 1)
    }

    @Test func anInterruptibleCallGivesUpWhenTold() throws {
        var calls = 0
        var asked = 0
        let result = try interruptibleSystemCall("read", path: "stdin", stop: { asked += 1; return asked == 2 }) { () -> Int in
            calls += 1
            errno = EINTR
            return -1
        }
        #expect(result == nil)
        #expect(calls == 2)
    }

    @Test func theMessageNamesPathCallAndReason() throws {
        let directory = TemporaryDirectory()
        let missing = directory.path + "/missing.ndjson"
        do {
            _ = try FileDescriptor.open(missing, .read)
            Issue.record("opening a missing file succeeded")
        } catch {
            #expect(error.call == "open")
            #expect(error.path == missing)
            #expect(error.code == ENOENT)
            #expect(error.isNotFound)
            #expect(error.description == "\(missing): open failed: No such file or directory")
        }
    }

    @Test func systemErrorIsAUserFacingErrorWithStatusOne() {
        let error: any UserFacingError = SystemError("rename", path: "a.tmp", code: EXDEV)
        #expect(error.message == "a.tmp: rename failed: Invalid cross-device link")
        #expect(error.exitStatus == 1)
    }
}
