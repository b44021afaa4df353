// A tool run with a deadline, for tests whose failure mode is a hang (a connection nobody
// answers, an input that never ends): past the deadline the tool is killed and the test fails.
import Foundation
import Testing
import TestUtilities

extension ToolProcess {
    /// Runs `tool` with stdout and stderr in files of `scratch`; status -1 when it was killed.
    static func run(_ tool: String, _ arguments: [String], in scratch: Scratch, environment: [String: String],
                    deadline: Double) throws -> Result {
        let out = scratch.file("\(tool).out"), err = scratch.file("\(tool).err")
        let result = try ProcessRunner.runReadingBack([path(tool)] + arguments, stdoutPath: out, stderrPath: err,
                                                      environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                                      deadline: deadline)
        if result.status == -1 { Issue.record("\(tool) \(arguments.joined(separator: " ")) was still running after \(deadline) s") }
        return result
    }
}
