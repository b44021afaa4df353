// ToolCommand: the entry point every tool's @main command uses. It is ParsableCommand's main
// with the exit statuses of DESIGN.md (usage errors exit 2; ArgumentParser's default is 64) and
// one line `tool: error: …` on stderr for every failure, whatever type of error ended the run.
import ArgumentParser
import Posix
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
        } catch let error as any UserFacingError {
            ToolMain.fail(tool: _commandName, message: error.message, status: error.exitStatus)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))  // --help, --version: stdout, status 0
                CurrentProcess.exit(ExitStatus.success)
            }
            // ArgumentParser's own message: the reason alone, without its usage block.
            let message = self.message(for: error)
            if code == .validationFailure {
                ToolMain.fail(tool: _commandName, message: "\(message) (see '\(_commandName) --help')", status: ExitStatus.usage)
            }
            ToolMain.fail(tool: _commandName, message: message, status: code.rawValue)
        }
    }
}
