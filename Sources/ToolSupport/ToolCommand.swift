// ToolCommand: the entry point every tool's @main command uses. It is ParsableCommand's main
// with the exit statuses of DESIGN.md: usage errors exit 2 (ArgumentParser's default is 64).
import ArgumentParser
import Records
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A tool's command: conform instead of ParsableCommand to get the project's exit statuses.
public protocol ToolCommand: ParsableCommand {}

extension ToolCommand {
    public static func main() {
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)  // --help, --version: stdout, status 0
                Glibc.exit(ExitStatus.success)
            }
            if !message.isEmpty { StandardError.shared.printLine(message) }
            if code == .validationFailure { Glibc.exit(ExitStatus.usage) }
            Glibc.exit(code.rawValue)
        }
    }
}
