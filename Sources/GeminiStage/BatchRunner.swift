// BatchRunner: the --batch runs of gemini-describe, categorize and embed, Gemini Batch Mode or
// an OpenAI-style /v1/batches (half the price; results within 24 h); its BatchWork says what is
// sent for a record (or a pack of them: categorize) and what an answer makes of them, its
// BatchClient how the provider's batch calls are spelled (BatchWire: the online bodies).
// Records are spooled into JSONL chunks of --batch-size requests; a chunk under the inline
// limit (gemini-api.md §4.1: a create under 20 MB) goes in the create call itself, a larger one
// is uploaded through the Files API; either way the job's name goes into the state file at once
// (a create is not idempotent). The job's display name is derived from its input (tool, model and a hash
// of the chunk), so a crash between the create's answer and the state file's write is no second
// job: the rerun builds the same chunk, finds the live job of that name in the batches list and
// adopts it instead of creating another. The jobs are then polled until they end and their results written as
// records, matched by key. A rerun finds the state file and polls the same jobs instead of
// paying twice; the state file and its spool files go away when every job is collected.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Gemini
import HTTP
import Logging
import Posix
import Records
import ToolSupport

public struct BatchRunner {
    public let work: any BatchWork
    public let settings: GeminiSettings
    public let statePath: String
    public let batchSize: Int
    public let pollSeconds: Double
    /// A create call with inline requests must stay under 20 MB (gemini-api.md §4.1): read as
    /// 10^6 bytes, which is also under 20 MiB, with the envelope counted.
    public static let inlineLimit = 20_000_000

    public init(work: any BatchWork, settings: GeminiSettings, statePath: String, batchSize: Int, pollSeconds: Double) throws {
        guard batchSize >= 1 else { throw ToolError.usage("--batch-size must be at least 1") }
        guard pollSeconds > 0 else { throw ToolError.usage("--poll-seconds must be more than 0") }
        self.work = work
        self.settings = settings
        self.statePath = statePath
        self.batchSize = batchSize
        self.pollSeconds = pollSeconds
    }

    /// An OpenAI-compatible server must offer the Batch API: `GET batches?limit=1` is asked at
    /// start (tools call this before they open their output), and a 404 or 405 refuses --batch.
    public static func checkProvider(_ settings: GeminiSettings) throws {
        guard settings.provider == .openai else { return }
        let offered: Bool
        do {
            offered = try OpenAIBatchClient(endpoint: settings.endpoint, retryPolicy: settings.retryPolicy).offersBatches()
        } catch let error as GeminiBatchError {
            throw ToolError("--batch: cannot ask \(settings.endpoint.baseURL) for its batches: \(error.description)")
        }
        guard offered else {
            throw ToolError.usage("--batch with --provider openai needs a server with /v1/batches and /v1/files; \(settings.endpoint.baseURL) has none; run without --batch")
        }
    }

    func makeClient() throws -> any BatchClient {
        do {
            switch settings.provider {
            case .gemini: return try GeminiBatchClient(endpoint: settings.endpoint, retryPolicy: settings.retryPolicy)
            case .openai: return try OpenAIBatchClient(endpoint: settings.endpoint, retryPolicy: settings.retryPolicy)
            }
        } catch {
            throw ToolError("cannot set up HTTP transfers: \(error)")
        }
    }

    public func run(_ run: ToolRun) throws -> Int32 {
        if settings.checksModel { try work.checkModel(endpoint: settings.endpoint) }
        let client = try makeClient()
        var state = try BatchState.load(statePath) ?? BatchState()
        var usage = TokenUsage()
        do {
            if !state.jobs.isEmpty {
                run.logger.info("batch: \(state.jobs.filter { !$0.collected }.count) jobs from an earlier run in \(statePath); polling them")
            }
            let waiting = try idsInJobs(state)
            var liveJobs = LiveJobs()
            try submitNewRecords(run, client: client, state: &state, skipping: waiting, liveJobs: &liveJobs)
            try pollUntilCollected(run, client: client, state: &state, usage: &usage, liveJobs: &liveJobs)
        } catch let error as GeminiBatchError {
            run.finish(extraSummary: work.batchSummary(usage))
            throw ToolError("batch: \(error.description); the jobs already created are in \(statePath), rerun to collect them")
        }
        if run.shouldStop {
            let open = state.jobs.filter { !$0.collected }.map(\.name)
            if !open.isEmpty { run.logger.warning("batch: stopped; \(open.joined(separator: ", ")) still running; rerun to collect") }
            return run.finish(extraSummary: work.batchSummary(usage))
        }
        for job in state.jobs { try? FileSystem.remove(job.records) }
        try? FileSystem.remove(statePath)
        removeLeftSpools()
        return run.finish(extraSummary: work.batchSummary(usage))
    }

    /// Spool files a killed run left for a chunk its state never named (`STATE.<time>-<n>.…`):
    /// once every job is collected, their records are in the output.
    func removeLeftSpools() {
        let (directory, base) = FileSystem.split(path: statePath)
        let prefix = base + "."
        for name in (try? FileSystem.contents(ofDirectory: directory)) ?? [] where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: ".", maxSplits: 1)
            guard parts.count == 2, ["requests.jsonl", "records.ndjson"].contains(parts[1]),
                  parts[0].split(separator: "-").count == 2, parts[0].allSatisfy({ $0.isNumber || $0 == "-" }) else { continue }
            try? FileSystem.remove(directory + "/" + name)
        }
    }

    /// The ids sent in jobs not yet collected: a rerun must not send them again.
    func idsInJobs(_ state: BatchState) throws -> Set<String> {
        var ids = Set<String>()
        for job in state.jobs where !job.collected {
            for record in try records(of: job) { if let id = record.id { ids.insert(id) } }
        }
        return ids
    }

    func records(of job: BatchState.Job) throws -> [Record] {
        let text: String
        do {
            text = try LineReader.readText(path: job.records)
        } catch {
            throw ToolError("batch: cannot read \(job.records), the records of \(job.name): \(error)")
        }
        return try text.split(separator: "\n").map { line in
            guard let record = try? JSONParser.parse(Array(line.utf8)).objectValue else {
                throw ToolError("batch: \(job.records): a line is not a record")
            }
            return record
        }
    }

    /// The chunk being filled: its requests and records spooled to files, and the digest of both
    /// (the job's display name).
    struct Chunk {
        let requests: BatchSpool
        let records: BatchSpool
        var digest = SHA256()

        init(base: String) throws {
            requests = try BatchSpool(path: base + ".requests.jsonl")
            records = try BatchSpool(path: base + ".records.ndjson")
        }

        /// One request for `group`. The key is the line of its first record (its pack: the next ones).
        mutating func add(_ group: [Record], body: JSONValue, client: any BatchClient, method: String) throws {
            let requestLine = JSONSerializer.string(client.requestLine(key: "r\(records.lines)", body: body, method: method))
            try requests.append(requestLine)
            var recordLines = ""
            for record in group {
                let recordLine = JSONSerializer.string(record)
                try records.append(recordLine)
                recordLines += recordLine + "\n"
            }
            // Both, so an adopted job's results belong to the very records of this chunk.
            digest.update(data: Array((requestLine + "\n" + recordLines).utf8))
        }

        func isFull(_ chunkRequests: Int, client: any BatchClient) -> Bool {
            requests.lines >= chunkRequests || requests.bytes >= client.maximumFileBytes
        }

        /// Removes the spool files of a chunk that is not submitted (its records go next run).
        func discard() {
            try? FileSystem.remove(requests.path)
            try? FileSystem.remove(records.path)
        }
    }

    /// Submits `chunk` as a job (adopting the live job of its display name, created by a run that
    /// stopped before saving it) and saves it in the state, with the job `collecting` marked
    /// collected in the same write (a follow-up job replaces it).
    func submit(_ chunk: Chunk, run: ToolRun, client: any BatchClient, state: inout BatchState, liveJobs: inout LiveJobs,
                followUpOf original: String? = nil, asking: OpenAIAsking = OpenAIAsking(), collecting: Int? = nil) throws {
        try chunk.requests.close()
        try chunk.records.close()
        let display = displayName(digest: chunk.digest.finalize())
        let job: BatchJobStatus
        if let earlier = try liveJobs.find(display, client: client, excluding: Set(state.jobs.map(\.name)), logger: run.logger) {
            job = earlier
            run.logger.info("batch: adopting \(job.name) (\(display), \(job.state)), created for these requests by a run that stopped before saving it")
        } else {
            job = try create(run, client: client, requests: chunk.requests, displayName: display)
            run.logger.info("batch: created \(job.name) with \(chunk.requests.lines) requests for \(chunk.records.lines) records (\(job.state))")
        }
        state.jobs.append(BatchState.Job(name: job.name, records: chunk.records.path, count: chunk.records.lines, collected: false,
                                         perRequest: work.recordsPerRequest, followUpOf: original, asking: asking))
        if let collecting { state.jobs[collecting].collected = true }
        try state.save(statePath)
        try? FileSystem.remove(chunk.requests.path)
    }

    /// The base name of a new chunk's spool files: `STATE.<time>-<job number>`.
    func chunkBase(_ state: BatchState, stamp: Int) -> String {
        "\(statePath).\(stamp)-\(state.jobs.count + 1)"
    }

    /// One request for `group` (asked as `wire` says) into `chunk`, opened at need and submitted
    /// as a job when full; or, when the work cannot make the request, error records for all of
    /// it (each once).
    func send(_ group: [Record], wire: BatchWire, into chunk: inout Chunk?, run: ToolRun, client: any BatchClient,
              state: inout BatchState, liveJobs: inout LiveJobs, stamp: Int, followUpOf original: String? = nil) throws {
        switch work.batchRequest(for: group, wire: wire) {
        case .failure(let error):
            for out in failed(group, error) where !(out.id.map { run.skipsGeneratedRecord(id: $0) } ?? false) { try run.emit(out) }
        case .success(let request):
            if chunk == nil { chunk = try Chunk(base: chunkBase(state, stamp: stamp)) }
            try chunk!.add(group, body: request, client: client, method: work.batchMethod)
            if chunk!.isFull(min(batchSize, client.maximumRequests ?? batchSize), client: client) {
                try submit(chunk!, run: run, client: client, state: &state, liveJobs: &liveJobs, followUpOf: original, asking: wire.asking)
                chunk = nil
            }
        }
    }

    /// Reads the input; records that cannot be sent become error records at once (or pass
    /// through as they are), the others go into requests of `recordsPerRequest` and those into
    /// chunks, each submitted as a job when full (and the last one at the end).
    func submitNewRecords(_ run: ToolRun, client: any BatchClient, state: inout BatchState, skipping: Set<String>,
                          liveJobs: inout LiveJobs) throws {
        let wire = BatchWire(endpoint: settings.endpoint)
        var chunk: Chunk?
        let stamp = Int(time(nil))
        func send(_ group: [Record]) throws {
            try self.send(group, wire: wire, into: &chunk, run: run, client: client, state: &state, liveJobs: &liveJobs, stamp: stamp)
        }
        var group: [Record] = []
        while let item = try run.nextRecord() {
            if let id = item.record.id, skipping.contains(id) { continue }
            if let passed = work.batchPassThrough(item.record) {
                try run.emit(passed)
                continue
            }
            group.append(item.record)
            if group.count == work.recordsPerRequest {
                try send(group)
                group = []
            }
        }
        if run.shouldStop {
            // Not submitted: its records are not in the output, so the next run sends them.
            chunk?.discard()
            return
        }
        if !group.isEmpty { try send(group) }
        if let last = chunk, last.requests.lines > 0 {
            try submit(last, run: run, client: client, state: &state, liveJobs: &liveJobs)
        }
    }

    /// Creates the job of a chunk: its requests inline when the provider takes them and the
    /// create stays under the inline limit (no upload), else over the uploaded JSONL file.
    func create(_ run: ToolRun, client: any BatchClient, requests: BatchSpool, displayName: String) throws -> BatchJobStatus {
        // Inline, a line's `"key":…` becomes `"metadata":{"key":…}` (13 bytes more) and the
        // envelope adds under 1 KB: decided before reading the chunk back.
        if client.takesInlineRequests, requests.bytes + 16 * requests.lines + 1024 < Self.inlineLimit {
            var inline: [JSONValue] = []
            for line in try LineReader.readText(path: requests.path).split(separator: "\n") {
                guard let json = try? JSONParser.parse(Array(line.utf8)), let key = json["key"], let request = json["request"] else {
                    throw ToolError("batch: \(requests.path): a line is not a request")
                }
                inline.append(["request": request, "metadata": ["key": key]])
            }
            let body = GeminiBatchClient.createBody(input: .requests(inline), displayName: displayName)
            if body.count < Self.inlineLimit {
                run.logger.info("batch: sending \(requests.lines) requests inline (\(Format.bytes(body.count)), no upload)")
                return try client.createBatch(input: .requests(inline), displayName: displayName, model: work.modelID, method: work.batchMethod)
            }
        }
        run.logger.info("batch: uploading \(requests.lines) requests (\(Format.bytes(requests.bytes)))")
        let file = try client.uploadFile(path: requests.path, displayName: displayName)
        return try client.createBatch(input: .file(file), displayName: displayName, model: work.modelID, method: work.batchMethod)
    }

    /// `describe-gemini-2.5-flash-lite-<hash>`: the same for the same chunk of the same tool and
    /// model in any run, which is how a rerun recognises a job whose name was never saved.
    func displayName(digest: SHA256.Digest) -> String {
        let hex = digest.prefix(12).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "\(work.stage)-\(work.modelID)-\(hex)"
    }

    /// The live jobs of the batches list by display name, listed once per run, when the first
    /// chunk is submitted (the jobs this run creates are in its state file anyway).
    struct LiveJobs {
        var byName: [String: [BatchJobStatus]]?

        mutating func find(_ displayName: String, client: any BatchClient, excluding: Set<String>, logger: Logger) throws -> BatchJobStatus? {
            if byName == nil {
                do {
                    byName = Dictionary(grouping: try client.liveBatches(), by: { $0.displayName ?? "" })
                } catch let error as GeminiBatchError {
                    // A gateway without the list (404 included): creating is still right; only the
                    // crash window stays open. A refused key fails at the upload that follows.
                    byName = [:]
                    logger.warning("batch: cannot list the batches (\(error.description)); a job created by a run that crashed before saving it would not be found")
                }
            }
            return byName?[displayName]?.first { !excluding.contains($0.name) }
        }
    }

    /// Polls every job not yet collected until it ends, then writes its records. Requests an
    /// OpenAI-compatible server refused for their json_schema or max_tokens go again in follow-up
    /// jobs asking the other way; the last one's save marks the collected job done.
    func pollUntilCollected(_ run: ToolRun, client: any BatchClient, state: inout BatchState, usage: inout TokenUsage,
                            liveJobs: inout LiveJobs) throws {
        var lastState: [String: String] = [:]
        var told: Set<OpenAIAsking.Refusal> = []
        let stamp = Int(time(nil))
        while state.jobs.contains(where: { !$0.collected }), !run.shouldStop {
            for index in state.jobs.indices where !state.jobs[index].collected {
                let status = try client.batch(named: state.jobs[index].name)
                if lastState[status.name] != status.state {
                    lastState[status.name] = status.state
                    run.logger.info("batch: \(status.name) \(status.state) (\(status.requestCount) requests, \(status.succeeded) ok, \(status.failed) failed)")
                }
                guard status.isFinished else { continue }
                let refused = try collect(run, client: client, state: state, index: index, status: status, usage: &usage)
                if refused.isEmpty {
                    state.jobs[index].collected = true
                    try state.save(statePath)
                    continue
                }
                for (kind, reason) in refused.reasons.sorted(by: { $0.key < $1.key }) where told.insert(kind).inserted {
                    let notice: String
                    switch kind {
                    case .jsonSchema:
                        notice = "batch: the server refused response_format json_schema (\(reason)); asking those requests again with "
                            + "json_object and the schema in the prompt, checking each answer against it"
                    case .maxTokens:
                        notice = "batch: the server refused max_tokens (\(reason)); asking those requests again with max_completion_tokens"
                    case .temperature:
                        notice = "batch: the server refused the temperature (\(reason)); asking those requests again with the model's default"
                    }
                    run.logger.warning("\(notice)")
                }
                try resubmit(refused.groups, of: index, asking: refused.asking, run: run, client: client, state: &state,
                             liveJobs: &liveJobs, stamp: stamp)
            }
            guard state.jobs.contains(where: { !$0.collected }) else { break }
            wait(run)
        }
    }

    /// Follow-up jobs asking `groups` (refused in job `index`) the other way (`asking`), chunked
    /// as the first ones; the last chunk's save marks job `index` collected.
    func resubmit(_ groups: [[Record]], of index: Int, asking: OpenAIAsking, run: ToolRun, client: any BatchClient,
                  state: inout BatchState, liveJobs: inout LiveJobs, stamp: Int) throws {
        let wire = BatchWire(endpoint: settings.endpoint, asking: asking)
        let original = state.jobs[index].name
        var chunk: Chunk?
        for group in groups {
            try send(group, wire: wire, into: &chunk, run: run, client: client, state: &state, liveJobs: &liveJobs, stamp: stamp,
                     followUpOf: original)
        }
        if let last = chunk, last.requests.lines > 0 {
            try submit(last, run: run, client: client, state: &state, liveJobs: &liveJobs, followUpOf: original, asking: asking,
                       collecting: index)
        } else {
            state.jobs[index].collected = true
            try state.save(statePath)
        }
    }

    /// Sleeps `pollSeconds` in short slices, returning early on a signal.
    func wait(_ run: ToolRun) {
        var left = pollSeconds
        while left > 0, !run.shouldStop {
            let slice = min(left, 0.1)
            usleep(useconds_t(slice * 1_000_000))
            left -= slice
        }
    }

    /// The requests of a collected job to ask again another way: their record groups, the way
    /// that avoids every refusal met (json_object, max_completion_tokens, no temperature, or
    /// several) and the server's words for each kind.
    struct Refused {
        var groups: [[Record]] = []
        var asking: OpenAIAsking
        var reasons: [OpenAIAsking.Refusal: String] = [:]
        var isEmpty: Bool { groups.isEmpty }

        mutating func add(_ refusal: OpenAIAsking.Refusal, message: String) {
            asking = asking.avoiding(refusal)
            if reasons[refusal] == nil { reasons[refusal] = message }
        }
    }

    /// Writes every record of finished job `index`: its answer, or an error record; returns the
    /// requests refused for their json_schema or max_tokens instead (none twice: a group already in one of its
    /// follow-up jobs is that job's).
    func collect(_ run: ToolRun, client: any BatchClient, state: BatchState, index: Int, status: BatchJobStatus,
                 usage: inout TokenUsage) throws -> Refused {
        let job = state.jobs[index]
        let wire = BatchWire(endpoint: settings.endpoint, asking: job.asking)
        var results: [String: BatchItemResult] = [:]
        // The results file, and the errors file of an OpenAI-style batch (its failed lines;
        // an expired or cancelled one keeps the answers it made: only the rest go again).
        for file in [status.responsesFile, status.errorsFile].compactMap({ $0 }) {
            let path = job.records + ".results.jsonl"
            try client.download(fileName: file, to: path)
            defer { try? FileSystem.remove(path) }
            let text = try LineReader.readText(path: path)
            for line in text.split(separator: "\n") {
                guard let json = try? JSONParser.parse(Array(line.utf8)) else { continue }
                let (key, result) = client.result(line: json)
                if let key { results[key] = result }
            }
        }
        // Matched by key; an answer without its metadata by its place (inline results
        // come back in request order).
        for (index, item) in (status.inlinedResponses ?? []).enumerated() {
            let (key, result) = client.result(line: item)
            results[key ?? "r\(index * job.perRequest)"] = result
        }
        var refused = Refused(asking: job.asking)
        var inFollowUps: Set<String>?
        let all = try records(of: job)
        for first in stride(from: 0, to: all.count, by: job.perRequest) {
            let group = Array(all[first..<min(first + job.perRequest, all.count)])
            if work.usesStructuredOutput, let result = results["r\(first)"], let refusal = wire.refusal(result),
               case .failure(_, let message, _) = result {
                if inFollowUps == nil { inFollowUps = try ids(inFollowUpsOf: job.name, state) }
                if !group.contains(where: { $0.id.map { inFollowUps!.contains($0) } ?? false }) { refused.groups.append(group) }
                refused.add(refusal, message: message)
                continue
            }
            // Once each: written before a crash (skipped also counts it).
            let written = group.map { $0.id.map { run.skipsGeneratedRecord(id: $0) } ?? false }
            if !written.contains(false) { continue }
            let outs: [Record]
            if let result = results["r\(first)"] {
                outs = try outcome(group, result: result, job: job.name, wire: wire, usage: &usage)
            } else if status.state != "SUCCEEDED" {
                let why = status.errorMessage.map { ": \($0)" } ?? ""
                outs = failed(group, RecordError(stage: work.stage, code: "batch_\(status.state.lowercased())",
                                                 message: "\(job.name) ended \(status.state)\(why)", retryable: true))
            } else {
                outs = failed(group, RecordError(stage: work.stage, code: "batch_missing",
                                                 message: "\(job.name) returned no result for this record", retryable: true))
            }
            for (out, skip) in zip(outs, written) where !skip { try run.emit(out) }
        }
        return refused
    }

    /// The ids already asked again for job `name` (in its follow-up jobs, saved by a run that
    /// stopped before marking it collected).
    func ids(inFollowUpsOf name: String, _ state: BatchState) throws -> Set<String> {
        var ids = Set<String>()
        for job in state.jobs where job.followUpOf == name {
            for record in try records(of: job) { if let id = record.id { ids.insert(id) } }
        }
        return ids
    }

    func failed(_ records: [Record], _ error: RecordError) -> [Record] {
        records.map { record in
            var out = record
            out.setError(error)
            return out
        }
    }

    /// One result: the work's reading of its response, or error records for its status.
    func outcome(_ records: [Record], result: BatchItemResult, job: String, wire: BatchWire, usage: inout TokenUsage) throws -> [Record] {
        let body: JSONValue
        switch result {
        case .failure(let status, let message, let permanent):
            return failed(records, RecordError(stage: work.stage, code: permanent ? "bad_request" : "batch_item_failed",
                                               message: "\(job): \(status): \(message)", retryable: !permanent))
        case .response(let response):
            body = response
        }
        let outs = try work.batchOutcome(records, response: body, wire: wire, usage: &usage)
        guard outs.count == records.count else {
            throw ToolError("batch: \(work.stage) made \(outs.count) records of \(records.count) (a bug)")
        }
        return outs
    }
}
