// TerminalQuestion: a yes/no question asked on the controlling terminal (/dev/tty), so it works
// while stdin carries records; with no terminal there is nobody to ask.
import Posix
import Records

public enum TerminalQuestion {
    /// Prints `statement` as a line and `question` after it on stderr, and reads the answer
    /// from the terminal: true for an answer starting with y or Y, false for anything else, nil
    /// (nothing printed) when there is no terminal.
    public static func askYesNo(_ question: String, after statement: String) -> Bool? {
        guard let tty = try? FileDescriptor.open("/dev/tty", .readWrite) else { return nil }
        StandardError.shared.printLine(statement)
        writeStandardError(question)
        var answer = [UInt8](repeating: 0, count: 16)
        let n = answer.withUnsafeMutableBytes { (try? tty.read(into: $0)) ?? 0 }
        return n > 0 && (answer[0] == UInt8(ascii: "y") || answer[0] == UInt8(ascii: "Y"))
    }
}
