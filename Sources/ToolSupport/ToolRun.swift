// ToolRun: one run of a record tool, wiring the shared behaviour: inputs (files or stdin),
// bad lines to error records, upstream errors passed on, --shard, -o resume, progress,
// signals, the summary and the exit status. A tool supplies only its per-record work.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Posix
import Records

/// One record to process and where it came from.
public struct WorkItem: Sendable {
    public var record: Record
    public var source: String
    public var line: Int
}

public final class ToolRun {
    public let tool: String
    public let options: CommonOptions
    public let config: ToolConfig
    public let logger: Logger
    public let counters = RunCounters()

    /// Turns a plain-text input line into a record (tools that accept names or paths).
    /// Without it, text lines are bad input.
    public var recordFromText: ((String) -> Record)?
    /// The listed name (and fallbacks, e.g. a full path) an input record without an id gets
    /// its id from, by the contract's rule (`IDAssigner`); nil leaves the record without one.
    public var idSource: ((Record) -> (name: String, fallbacks: [String])?)?
    /// The `idSource` of tools fed plain paths: a record's `path` gives its id from the file
    /// name, or from the whole path when two folders hold the same name.
    public static func idFromPath(_ record: Record) -> (name: String, fallbacks: [String])? {
        guard let path = record["path"]?.stringValue, !path.isEmpty else { return nil }
        return (String(path.split(separator: "/").last ?? path[...]), [path])
    }
    /// Every id this run's input has carried or been given, to find duplicates. In memory by
    /// default; a tool that reads millions of names sets a `SpooledIDAssigner`, and may drop it
    /// (set an empty one) once its input is read.
    public var ids: any IDAssigning = IDAssigner()
    /// Writes each output record as this line instead of NDJSON (e.g. CSV for spreadsheets);
    /// only without -o, since the -o file is the resume journal and stays NDJSON.
    public var lineFormat: (header: String, line: (Record) -> String)?
    private var wroteHeader = false
    /// Plain-text input lines for which this returns true are skipped (e.g. a CSV header).
    public var skipsTextLine: ((String) -> Bool)?

    private let journal: ResumeJournal?
    private let writer: NDJSONWriter
    private let progress: ProgressReporter
    private var pendingSources: [String]
    private var reader: RecordReader?
    private let mode: RecordReader.Mode
    private var finished = false

    /// Starts a run: loads config, sets up logging, opens `-o` (recovering it), installs signal
    /// handlers and starts progress reporting.
    /// - Parameters:
    ///   - inputs: files to read in order; empty or "-" means stdin.
    ///   - acceptsText: lines that do not start with `{` go to `recordFromText`.
    ///   - flushEachRecord: write every result at once (for results that cost money).
    ///   - started: the logger and settings when the tool set them up itself (to resolve its
    ///     settings before the output is opened); nil starts them here.
    public init(tool: String, options: CommonOptions, inputs: [String], acceptsText: Bool = false,
                flushEachRecord: Bool = false, started: (logger: Logger, config: ToolConfig)? = nil) throws {
        self.tool = tool
        self.options = options
        self.mode = acceptsText ? .ndjsonOrText : .ndjson
        SignalMonitor.install()
        (logger, config) = try started ?? options.general.start(tool: tool)
        pendingSources = inputs.isEmpty ? ["-"] : inputs
        try Self.checkReadable(pendingSources)
        if pendingSources.contains("-"), FileDescriptor.standardInput().isTerminal {
            logger.info("reading records from the terminal; pipe them in or name a file (--help for examples)")
        }
        if let output = options.output {
            do {
                let journal = try ResumeJournal(path: output, retryErrors: !options.noRetryErrors, flushEachRecord: flushEachRecord)
                self.journal = journal
                self.writer = journal.writer
            } catch {
                throw ToolError("cannot open output \(output): \(error)")
            }
        } else {
            journal = nil
            writer = .standardOutput(flushEachRecord: flushEachRecord)
        }
        progress = ProgressReporter(tool: tool, counters: counters, enabled: !options.general.quiet)
        if let journal {
            logRecovery(journal)
            if let why = journal.lockUnavailable {
                logger.warning("no lock on \(journal.path) (\(why)): nothing stops a second run from writing it at the same time")
            }
        }
        if !options.general.quiet, StandardError.shared.isTerminal {
            counters.setTotal(Self.countLines(pendingSources))
        }
    }

    /// Fails unless every named file (all but "-") can be read: for a tool's validate(), so a
    /// wrong name stops the run before anything is opened. The message says `cannot read
    /// <kind> <path>`.
    public static func checkReadable(_ inputs: [String], kind: String = "input") throws {
        for path in inputs where path != "-" {
            do throws(SystemError) { try FileSystem.checkReadable(path) } catch {
                throw ToolError("cannot read \(kind.isEmpty ? path : kind + " " + path): \(error.reason)")
            }
        }
    }

    private func logRecovery(_ journal: ResumeJournal) {
        let r = journal.recovery
        guard r.recordsKept + r.errorsToRetry + r.tornBytesCut + r.unreadableLinesDropped > 0 else { return }
        var parts = ["\(r.recordsKept) records done"]
        if r.errorsToRetry > 0 { parts.append("\(r.errorsToRetry) error records to retry") }
        if r.tornBytesCut > 0 { parts.append("cut an incomplete last line (\(r.tornBytesCut) bytes)") }
        if r.unreadableLinesDropped > 0 { parts.append("dropped \(r.unreadableLinesDropped) unreadable lines") }
        logger.info("resuming \(journal.path): \(parts.joined(separator: ", "))")
    }

    /// Runs `body` (a question on the terminal) with the progress bar cleared and not drawn.
    public func withProgressHeld<T>(_ body: () throws -> T) rethrows -> T {
        progress.hold()
        defer { progress.release() }
        return try body()
    }

    /// Writes a line to the --log-file only (not stderr): a record's outcome, as the reference
    /// tool's download log has one per file.
    public func logToFile(_ line: String) {
        logger.info("\(line)", metadata: LogSetup.fileOnly)
    }

    /// The log-file line of an error record: `failed ID: code: message`.
    private func logOutcome(of record: Record, verb: String) {
        guard let error = record.error else { return }
        logToFile("\(verb) \(record.id ?? "?"): \(error.code): \(error.message)")
    }

    /// Whether the run should stop taking new records (a signal arrived).
    public var shouldStop: Bool { SignalMonitor.shouldStop }

    /// The next record this run must process, or nil at the end of the input (or after a
    /// signal). Bad lines, upstream error records, duplicate ids, other shards' records and
    /// records already in the -o file are handled here and never reach the caller.
    public func nextRecord() throws -> WorkItem? {
        while !shouldStop {
            guard let reader = try currentReader() else { return nil }
            guard let item = try reader.next() else {
                self.reader = nil
                continue
            }
            let source = reader.name
            var record: Record
            switch item {
            case .invalid(let line, let reason, let raw):
                try handleBadLine(source: source, line: line, reason: reason, raw: raw)
                continue
            case .text(let text, let line):
                if skipsTextLine?(text) == true { continue }
                guard let recordFromText else {
                    try handleBadLine(source: source, line: line, reason: "not a JSON object", raw: text)
                    continue
                }
                record = recordFromText(text)
            case .record(let parsed, _):
                record = parsed
            }
            if record.hasError {
                // Upstream error records pass through as they are: they claim no id (a retried
                // record may follow its own earlier error) and are never duplicates.
                guard let key = ResumeJournal.key(for: record) else {
                    try handleBadLine(source: source, line: item.line, reason: "record has no \"id\"",
                                      raw: JSONSerializer.string(record))
                    continue
                }
                if let shard = options.shard, !shard.contains(key: key) { continue }
                if journal?.takeKeptError(key: key) == true {
                    counters.recordSkipped()
                    continue
                }
                try write(record)
                counters.recordPassedThrough()
                logOutcome(of: record, verb: "passed on")
                continue
            }
            var duplicate: String?
            if let id = record.id {
                if try !ids.claim(id) { duplicate = "id \"\(id)\" was already taken by an earlier record of this input" }
            } else if let idSource, let origin = idSource(record) {
                duplicate = try giveID(to: &record, name: origin.name, fallbacks: origin.fallbacks)
            }
            guard let key = record.id else {
                let reason = idSource == nil ? "record has no \"id\"" : "record has no \"id\" and no name to make one from"
                try handleBadLine(source: source, line: item.line, reason: reason, raw: JSONSerializer.string(record))
                continue
            }
            if let shard = options.shard, !shard.contains(key: key) { continue }
            // Before the -o skip: a rerun meets the same duplicate and reports it again.
            if let duplicate {
                try emitDuplicate(record, key: key, reason: "\(source):\(item.line): \(duplicate)")
                continue
            }
            if let journal, journal.contains(key: key) {
                counters.recordSkipped()
                continue
            }
            return WorkItem(record: record, source: source, line: item.line)
        }
        return nil
    }

    private func currentReader() throws -> RecordReader? {
        if let reader { return reader }
        guard !pendingSources.isEmpty else { return nil }
        let path = pendingSources.removeFirst()
        let lines: LineReader
        do {
            lines = try LineReader(path: path)
        } catch {
            throw ToolError("cannot read input: \(error)")
        }
        let writer = self.writer
        // A failed write here is as fatal as one in emit: swallowing it would lose the results
        // flushed and still exit 0 (stdout on a full disk).
        lines.beforeRead = {
            do { try writer.flush() } catch { throw Self.outputError(error) }
        }
        lines.shouldStop = { SignalMonitor.shouldStop }
        let reader = RecordReader(lines, mode: mode)
        self.reader = reader
        return reader
    }

    private func handleBadLine(source: String, line: Int, reason: String, raw: String) throws {
        let record = InputItem.errorRecord(stage: tool, source: source, line: line, reason: reason, raw: raw)
        if let key = ResumeJournal.key(for: record) {
            if let shard = options.shard, !shard.contains(key: key) { return }
            if journal?.takeKeptError(key: key) == true {
                counters.recordSkipped()
                return
            }
        }
        logger.warning("\(source):\(line): \(reason)")
        try emit(record)
    }

    /// Inserts the id the contract's rule gives `name` as the record's first field; returns
    /// why the record is a duplicate (its name came before), or nil.
    private func giveID(to record: inout Record, name: String, fallbacks: [String]) throws -> String? {
        let assignment = try ids.assign(name: name, fallbacks: fallbacks)
        record.fields.insert(.init(key: "id", value: .string(assignment.id)), at: 0)
        guard case .duplicate = assignment else { return nil }
        return "\"\(fallbacks.last ?? name)\" was already listed earlier in this input"
    }

    /// Writes a record whose id an earlier record took as a `duplicate_id` error record,
    /// unless the -o file kept that error from an earlier run (with --no-retry-errors).
    private func emitDuplicate(_ record: Record, key: String, reason: String) throws {
        if journal?.takeKeptError(key: key) == true {
            counters.recordSkipped()
            return
        }
        var record = record
        record.setError(RecordError(stage: tool, code: "duplicate_id",
                                    message: "\(reason); this record was not processed (one listed name, one id, one output)",
                                    retryable: false))
        try emit(record)
    }

    /// For a record this tool makes itself (e.g. one per listed object): gives it the id the
    /// contract's rule makes from `name` (then `fallbacks`), and returns whether the caller
    /// should process it. False when it belongs to another --shard, the -o file has it
    /// (counted as skipped), or its id was taken (written here as a duplicate_id error record).
    public func admitGenerated(_ record: inout Record, name: String, fallbacks: [String] = []) throws -> Bool {
        let duplicate = try giveID(to: &record, name: name, fallbacks: fallbacks)
        guard let id = record.id else { return false }
        if let shard = options.shard, !shard.contains(key: id) { return false }
        if let duplicate {
            try emitDuplicate(record, key: id, reason: duplicate)
            return false
        }
        return !skipsGeneratedRecord(id: id)
    }

    /// Whether a record this tool made itself (not read from the input, e.g. one per listed
    /// object) is to be left out: it belongs to another --shard, or the -o file already has it
    /// (counted as skipped).
    public func skipsGeneratedRecord(id: String) -> Bool {
        if let shard = options.shard, !shard.contains(key: id) { return true }
        if let journal, journal.contains(key: id) {
            counters.recordSkipped()
            return true
        }
        return false
    }

    /// Writes a processed record: counted as failed when this tool set its error, else ok.
    public func emit(_ record: Record) throws {
        try write(record)
        if let error = record.error, record.hasError {
            counters.recordFailure(code: error.code)
            logOutcome(of: record, verb: "failed")
            if options.general.verbose { logger.debug("\(record.id ?? "?"): \(error.code): \(error.message)") }
        } else {
            counters.recordOK()
        }
    }

    private func write(_ record: Record) throws {
        do {
            if let journal {
                try journal.append(record)
            } else if let lineFormat {
                if !wroteHeader {
                    wroteHeader = true
                    try writeText(lineFormat.header)
                }
                try writeText(lineFormat.line(record))
            } else {
                try writer.write(record)
            }
        } catch {
            throw Self.outputError(error)
        }
    }

    /// The run-ending error for a failed write: a closed pipe exits 141 quietly, anything else
    /// (a full disk) is fatal with its reason.
    private static func outputError(_ error: Error) -> ToolError {
        if error is NDJSONWriter.BrokenPipe { return ToolError("", status: ExitStatus.brokenPipe) }
        return ToolError("cannot write output: \(error)")
    }

    private func writeText(_ line: String) throws {
        var line = line
        try line.withUTF8 { try writer.writeLine($0) }
    }

    /// Processes every record in turn with `transform` (which returns the record to write,
    /// with an error set when it failed), then finishes the run. Returns the exit status.
    public func processSequentially(_ transform: (Record) throws -> Record) throws -> Int32 {
        while let item = try nextRecord() {
            try emit(try transform(item.record))
        }
        return finish()
    }

    /// Flushes the output, prints the summary line and returns the exit status.
    @discardableResult
    public func finish(extraSummary: String = "") -> Int32 {
        if finished { return exitStatus }
        finished = true
        progress.stop()
        var status = exitStatus
        do {
            if let journal {
                defer { journal.close() }
                try writer.sync()
            } else {
                try writer.flush()
            }
        } catch is NDJSONWriter.BrokenPipe {
            status = ExitStatus.brokenPipe
        } catch {
            logger.error("cannot write output: \(error)")
            status = ExitStatus.fatal
        }
        var summary = counters.summary(tool: tool, extra: extraSummary)
        if let signal = SignalMonitor.exitStatus {
            summary += " (stopped by signal; rerun with the same -o to resume)"
            status = signal
        }
        StandardError.shared.printLine(summary)
        logToFile(summary)
        if let warning = counters.everyRecordFailedWarning(tool: tool) {
            StandardError.shared.printLine(warning)
            logToFile(warning)
        }
        return status
    }

    private var exitStatus: Int32 {
        if let signal = SignalMonitor.exitStatus { return signal }
        if options.strict, counters.snapshot.failed > 0 { return ExitStatus.strictFailure }
        return ExitStatus.success
    }

    /// Counts lines of regular input files for the progress bar's total (nil for stdin/pipes).
    static func countLines(_ paths: [String]) -> Int? {
        var total = 0
        for path in paths {
            guard path != "-" else { return nil }
            guard (try? FileSystem.status(path))?.isRegularFile == true,
                  let file = try? FileDescriptor.open(path, .read) else { return nil }
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { chunk.deallocate() }
            var last: UInt8 = 0x0A
            while true {
                guard let n = try? file.read(into: UnsafeMutableRawBufferPointer(start: chunk, count: 1 << 20)),
                      n > 0 else { break }
                var p = chunk
                var remaining = n
                while remaining > 0, let hit = memchr(p, 0x0A, remaining) {
                    total += 1
                    let advance = p.distance(to: hit) + 1
                    p += advance
                    remaining -= advance
                }
                last = chunk.load(fromByteOffset: n - 1, as: UInt8.self)
            }
            if last != 0x0A { total += 1 }
        }
        return total
    }
}
