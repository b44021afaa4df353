// BatchSpool: the JSONL files of a --batch run (request chunks and the state file), written line
// by line and synced before they are uploaded or renamed into place.
import Records
import ToolSupport

/// A JSONL file written line by line.
final class BatchSpool {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private(set) var lines = 0
    private(set) var bytes = 0

    init(path: String) throws {
        guard let file = fopen(path, "w") else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.path = path
        self.file = file
    }

    deinit { fclose(file) }

    func append(_ line: String) throws {
        var text = line + "\n"
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == text.utf8.count else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
        lines += 1
        bytes += written
    }

    func close() throws {
        guard fflush(file) == 0, fsync(fileno(file)) == 0 else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    static func writeAtomically(_ path: String, line: String) throws {
        let temporary = path + ".tmp"
        let spool = try BatchSpool(path: temporary)
        try spool.append(line)
        try spool.close()
        guard rename(temporary, path) == 0 else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
