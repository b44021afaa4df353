// GuardianShell: a shell that owns a test's servers. It starts them, then blocks reading a pipe
// only this process holds the write end of; closing that end (`stop()`, or the end of the test
// process, also when it crashes) lets it go on to stop them. The servers stay in its process
// group, so a test runner that kills the group takes them along.
import Foundation

final class GuardianShell {
    private let process = Process()
    private let pipe = Pipe()

    /// Runs `script` with /bin/sh; it reads one line (`read _ignored`) where it must stop what it started.
    /// `environment` replaces the test process's for the shell and what it starts.
    init(_ script: String, environment: [String: String]? = nil) throws {
        // Only we may hold the pipe's write end: no child of ours (nor of a parallel test) inherits it.
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        if let environment { process.environment = environment }
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Lets the script stop its servers, and waits until it has.
    func stop() {
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
