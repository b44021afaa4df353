// ChildProcess: a program's stdout and exit status, a program that cannot start named in the
// error, and programs found on a PATH.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Testing

@Suite struct ChildProcessTests {
    @Test func stdoutAndExitStatusAreCollected() throws {
        let output = try ChildProcess.output(of: ["/bin/sh", "-c", "printf 'one\\ntwo'; exit 3"])
        #expect(output.status == 3)
        #expect(output.stdout == Array("one\ntwo".utf8))
    }

    @Test func aLargeOutputIsReadWhole() throws {
        // More than a pipe holds (64 KiB): the child blocks until we read, so this also shows
        // the read runs while the child does.
        let output = try ChildProcess.output(of: ["/bin/sh", "-c", "head -c 300000 /dev/zero"])
        #expect(output.status == 0)
        #expect(output.stdout.count == 300_000)
    }

    @Test func aSignalGivesStatus128PlusItsNumber() throws {
        let output = try ChildProcess.output(of: ["/bin/sh", "-c", "kill -KILL $$"])
        #expect(output.status == 128 + SIGKILL)
    }

    @Test func aProgramThatCannotStartIsAnErrorNamingIt() {
        #expect(throws: SystemError("posix_spawn", path: "/nonexistent/program", code: ENOENT)) {
            try ChildProcess.output(of: ["/nonexistent/program"])
        }
    }

    @Test func findLooksThroughEachDirectoryOfThePath() {
        #expect(ChildProcess.find("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(ChildProcess.find("no-such-program-here", path: "/bin:/usr/bin") == nil)
    }
}
