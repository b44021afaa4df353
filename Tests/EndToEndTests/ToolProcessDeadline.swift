// A tool run with a deadline, for tests whose failure mode is a hang (a connection nobody
// answers, an input that never ends): past the deadline the tool is killed and the test fails.
import Foundation
import Testing

extension ToolProcess {
    /// Runs `tool` with stdout and stderr in files of `scratch`; status -1 when it was killed.
    static func run(_ tool: String, _ arguments: [String], in scratch: Scratch, environment: [String: String],
                    deadline: Double) throws -> Result {
        let out = scratch.file("\(tool).out"), err = scratch.file("\(tool).err")
        let pid = try TestSupport.spawn([path(tool)] + arguments, stdoutPath: out, stderrPath: err,
                                        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        var status: Int32 = 0
        let exited = waitUntil(timeout: deadline) { waitpid(pid, &status, WNOHANG) == pid }
        if !exited {
            kill(pid, SIGKILL)
            _ = TestSupport.wait(pid)
            Issue.record("\(tool) \(arguments.joined(separator: " ")) was still running after \(deadline) s")
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exited ? code : -1, stdout: scratch.read("\(tool).out"), stderr: scratch.read("\(tool).err"))
    }
}
