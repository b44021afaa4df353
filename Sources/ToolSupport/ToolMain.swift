// ToolMain: how an executable's run() ends — the status from ToolRun, or a fatal error printed
// as one line `tool: error: message`.
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
    /// Other errors go on to ToolCommand.main, which prints them the same way.
    public static func run(tool: String, _ body: () throws -> Int32) throws -> Never {
        let status: Int32
        do {
            status = try body()
        } catch let error as ToolError {
            fail(tool: tool, message: error.message, status: error.status)
        }
        exit(status)
    }

    /// Prints `tool: error: message` as one line on stderr (line breaks inside the message become
    /// "; ", so a script reading stderr line by line sees one failure) and exits with `status`.
    /// An empty message prints nothing (ExitCode thrown on purpose).
    public static func fail(tool: String, message: String, status: Int32) -> Never {
        let lines = message.split(whereSeparator: \.isNewline)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            .filter { !$0.isEmpty }
        if !lines.isEmpty { StandardError.shared.printLine("\(tool): error: \(lines.joined(separator: "; "))") }
        exit(status)
    }

    /// The exit of a tool whose issue has not landed yet: a clear message and status 1.
    public static func notImplemented(tool: String) -> Never {
        fail(tool: tool, message: "not implemented yet — see the README's tool table for what is available", status: ExitStatus.fatal)
    }
}
