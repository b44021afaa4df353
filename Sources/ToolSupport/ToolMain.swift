// ToolMain: how an executable's run() ends — the status from ToolRun, or a fatal ToolError
// printed as one line `tool: message`.
import ArgumentParser
import Records
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum ToolMain {
    /// Runs `body` and exits with its status; a ToolError becomes its one-line message and status.
    public static func run(tool: String, _ body: () throws -> Int32) throws -> Never {
        let status: Int32
        do {
            status = try body()
        } catch let error as ToolError {
            if !error.message.isEmpty { StandardError.shared.printLine("\(tool): error: \(error.message)") }
            status = error.status
        }
        exit(status)
    }

    /// The exit of a tool whose issue has not landed yet: a clear message and status 1.
    public static func notImplemented(tool: String) -> Never {
        StandardError.shared.printLine("\(tool): not implemented yet — see the README's tool table for what is available")
        exit(ExitStatus.fatal)
    }
}
