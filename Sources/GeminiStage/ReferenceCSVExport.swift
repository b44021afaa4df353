// ReferenceCSVExport: `--format csv` of gemini-describe and categorize — the reference's CSV
// written from finished records, with no model call: a row per record that has what the file
// needs, the others (error records, unreadable lines, records not that far yet) as rows of a
// separate failed file when one is given, never in the CSV.
import Posix
import Records
import ToolSupport

public struct ReferenceCSVExport {
    public let kind: ReferenceCSV.Kind
    public let inputs: [String]
    /// Where the rows of records without a result go (`image_name,stage,code,message`).
    public let failedPath: String?

    public init(kind: ReferenceCSV.Kind, inputs: [String], failedPath: String?) {
        self.kind = kind
        self.inputs = inputs.isEmpty ? ["-"] : inputs
        self.failedPath = failedPath
    }

    public struct Counts: Equatable, Sendable {
        public var rows = 0
        public var failed = 0
    }

    /// `--format csv` of `tool`: writes the CSV, prints the one summary line on stderr and
    /// returns the exit status.
    public func runAsTool(_ tool: String) throws -> Int32 {
        let counts = try run()
        let missing = kind == .categorized ? "without categories" : "without a description"
        StandardError.shared.printLine("\(tool): \(counts.rows) rows written, \(counts.failed) \(missing)\(failedPath.map { " in \($0)" } ?? " left out") (no model call)")
        return ExitStatus.success
    }

    /// Writes the CSV to stdout and the failed rows to `failedPath` (through a temporary file
    /// renamed at the end, so a failed run leaves no half-written file under its name).
    public func run() throws -> Counts {
        let output = NDJSONWriter.standardOutput()
        var failedRows: [String] = []
        var counts = Counts()
        try writeLine(kind.header, to: output)
        for path in inputs {
            let reader: RecordReader
            do {
                reader = RecordReader(try LineReader(path: path))
            } catch {
                throw ToolError("cannot read input: \(error)")
            }
            let source = path == "-" ? "stdin" : path
            while let item = try reader.next() {
                switch item {
                case .record(let record, _):
                    switch ReferenceCSV.row(record, kind: kind) {
                    case .success(let row):
                        try writeLine(row, to: output)
                        counts.rows += 1
                    case .failure(let error):
                        failedRows.append(ReferenceCSV.failedRow(record, error: error))
                        counts.failed += 1
                    }
                case .invalid(let line, let reason, _):
                    failedRows.append(Self.badLineRow(source: source, line: line, reason: reason))
                    counts.failed += 1
                case .text(_, let line):
                    failedRows.append(Self.badLineRow(source: source, line: line, reason: "not a JSON object"))
                    counts.failed += 1
                }
            }
        }
        try output.flush()
        if let failedPath { try Self.writeFile(failedPath, lines: [ReferenceCSV.failedHeader] + failedRows) }
        return counts
    }

    static func badLineRow(source: String, line: Int, reason: String) -> String {
        ReferenceCSV.failedRow(["id": .string("\(source):\(line)")],
                               error: RecordError(stage: "csv", code: "bad_input", message: "\(source):\(line): \(reason)", retryable: false))
    }

    private func writeLine(_ line: String, to output: NDJSONWriter) throws {
        var line = line
        do {
            try line.withUTF8 { try output.writeLine($0) }
        } catch is NDJSONWriter.BrokenPipe {
            throw ToolError("", status: ExitStatus.brokenPipe)
        }
    }

    /// Writes `lines` to `path` through a temporary file renamed over it when complete and synced.
    static func writeFile(_ path: String, lines: [String]) throws {
        do throws(SystemError) {
            try FileSystem.writeAtomically(lines.map { $0 + "\n" }.joined(), to: path)
        } catch {
            throw ToolError("cannot write \(path): \(error)")
        }
    }
}
