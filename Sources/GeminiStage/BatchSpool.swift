// BatchSpool: the JSONL files of a --batch run (request chunks and the state file), written line
// by line and synced before they are uploaded or renamed into place.
import Posix
import ToolSupport

/// A JSONL file written line by line.
final class BatchSpool {
    let path: String
    private let file: FileDescriptor
    private(set) var lines = 0
    private(set) var bytes = 0

    init(path: String) throws {
        do throws(SystemError) { file = try FileDescriptor.open(path, .truncate) } catch { throw ToolError("cannot write \(path): \(error.reason)") }
        self.path = path
    }

    func append(_ line: String) throws {
        let text = line + "\n"
        do throws(SystemError) { try file.write(text) } catch { throw ToolError("cannot write \(path): \(error.reason)") }
        lines += 1
        bytes += text.utf8.count
    }

    /// Forces the lines to disk before the file is handed on (the descriptor closes with the spool).
    func close() throws {
        do throws(SystemError) { try file.sync() } catch { throw ToolError("cannot write \(path): \(error.reason)") }
    }

    static func writeAtomically(_ path: String, line: String) throws {
        do throws(SystemError) { try FileSystem.writeAtomically(line + "\n", to: path) } catch { throw ToolError("cannot write \(path): \(error.reason)") }
    }
}
