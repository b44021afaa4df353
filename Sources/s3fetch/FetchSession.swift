// FetchSession: feeds s3ls records to the downloader and writes each record back with its
// outcome; asks before starting on a terminal and stops at once on expired credentials.
// Records naming one object (two listed names that matched one key) share one download.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Records
import S3
import ToolSupport

final class FetchSession {
    let run: ToolRun
    let downloader: ObjectDownloader
    let directory: String
    private var buffered: [WorkItem] = []
    private var bufferedNext = 0
    private var inFlight: [Int: Record] = [:]
    /// The tag of each object being downloaded, by bucket/key, and the records that wait for
    /// that download instead of starting their own through the same temporary file.
    private var tagByObject: [String: Int] = [:]
    private var followers: [Int: [Record]] = [:]
    private var nextTag = 0
    private var downloaded = (count: 0, bytes: 0)
    private var cached = (count: 0, bytes: 0)
    private var archived = 0
    /// Files downloaded or cached, by the check they passed.
    private var verified: [Verification: Int] = [:]

    init(run: ToolRun, downloader: ObjectDownloader, directory: String) {
        self.run = run
        self.downloader = downloader
        self.directory = directory
        downloader.onRetry = { [logger = run.logger, verbose = run.options.verbose] message in
            if verbose { logger.info("\(message)") } else { logger.debug("\(message)") }
        }
    }

    /// Creates DIR and, unless a log file is given, DIR/logs; returns the log file: the given
    /// one or DIR/logs/s3fetch-YYYYmmdd-HHMMSS.log as in the reference tool.
    static func prepareDirectory(_ directory: String, logFile: String?) throws -> String {
        do throws(SystemError) { try FileSystem.makeDirectories(directory) } catch {
            throw ToolError("cannot create \(error.path): \(error.reason)")
        }
        if let logFile { return logFile }
        let logs = directory + "/logs"
        do throws(SystemError) { try FileSystem.makeDirectories(logs) } catch {
            throw ToolError("cannot create \(logs): \(error.reason)")
        }
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y%m%d-%H%M%S", &parts)
        return logs + "/s3fetch-" + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + ".log"
    }

    /// Reads every record first, shows what will be fetched and asks on the terminal.
    func confirm() throws {
        var bytes = 0
        while let item = try run.nextRecord() {
            bytes += item.record["size"]?.intValue ?? 0
            buffered.append(item)
        }
        guard !buffered.isEmpty else { return }
        guard let tty = try? FileDescriptor.open("/dev/tty", .readWrite) else { return }
        // The progress bar is held while the question waits: it would draw over it.
        let yes = run.withProgressHeld { () -> Bool in
            StandardError.shared.printLine("s3fetch: \(buffered.count) objects, \(Format.bytes(bytes)) to download into \(directory)")
            writeStandardError("Continue? [y/N] ")
            var answer = [UInt8](repeating: 0, count: 16)
            let n = (try? answer.withUnsafeMutableBytes { try tty.read(into: $0) }) ?? 0
            return n > 0 && (answer[0] == UInt8(ascii: "y") || answer[0] == UInt8(ascii: "Y"))
        }
        guard yes else {
            throw ToolError("cancelled; nothing downloaded (--yes skips this question)")
        }
    }

    /// Downloads everything; returns the exit status.
    func fetchAll() throws -> Int32 {
        do {
            try downloader.run(next: nextItem, completion: completed, shouldStop: { self.run.shouldStop })
        } catch let error as S3Error {
            _ = run.finish(extraSummary: summary)
            throw ToolError("\(error); \(downloaded.count + cached.count) files finished are kept, rerun to continue")
        }
        return run.finish(extraSummary: summary)
    }

    private var summary: String {
        let seconds = run.counters.elapsed
        let rate = seconds > 0 ? Double(downloaded.bytes) / seconds : 0
        let checks = Verification.allCases.compactMap { kind in verified[kind].map { "\(kind.rawValue) \($0)" } }
        let archivedNote = archived > 0 ? ", \(archived) archived (not downloadable without a restore)" : ""
        return "\(downloaded.count) downloaded (\(Format.bytes(downloaded.bytes)), \(Format.bytes(Int(rate)))/s), \(cached.count) cached"
            + archivedNote + (checks.isEmpty ? "" : "; verified by " + checks.joined(separator: ", "))
    }

    private func nextItem() throws -> DownloadItem? {
        while true {
            let item: WorkItem
            if bufferedNext < buffered.count {
                item = buffered[bufferedNext]
                bufferedNext += 1
            } else if let next = try run.nextRecord() {
                item = next
            } else {
                return nil
            }
            nextTag += 1
            guard let download = DownloadItem(record: item.record, tag: nextTag) else {
                var record = item.record
                record.setError(RecordError(stage: "s3fetch", code: "bad_input",
                                            message: "\(item.source):\(item.line): the record has no bucket and key (s3ls makes them)",
                                            retryable: false))
                try run.emit(record)
                continue
            }
            let object = download.bucket + "/" + download.key
            if let lead = tagByObject[object] {
                followers[lead, default: []].append(item.record)
                continue
            }
            tagByObject[object] = nextTag
            inFlight[nextTag] = item.record
            return download
        }
    }

    private func completed(_ item: DownloadItem, _ outcome: DownloadOutcome) throws {
        guard let record = inFlight.removeValue(forKey: item.tag) else { return }
        tagByObject[item.bucket + "/" + item.key] = nil
        // A line per object in DIR/logs (failures are logged with their error record by emit).
        switch outcome {
        case .downloaded(let path, let bytes, let check):
            downloaded = (downloaded.count + 1, downloaded.bytes + bytes)
            verified[check, default: 0] += 1
            run.logToFile("downloaded s3://\(item.bucket)/\(item.key) -> \(path) (\(bytes) bytes, verified by \(check.rawValue))")
        case .cached(let path, let bytes, let check):
            cached = (cached.count + 1, cached.bytes + bytes)
            verified[check, default: 0] += 1
            run.logToFile("cached s3://\(item.bucket)/\(item.key) -> \(path) (\(bytes) bytes, already there, verified by \(check.rawValue))")
        case .failed(let code, _, _): if code == "archived" { archived += 1 }
        }
        for var record in [record] + (followers.removeValue(forKey: item.tag) ?? []) {
            outcome.apply(to: &record, stage: "s3fetch")
            try run.emit(record)
        }
    }
}
