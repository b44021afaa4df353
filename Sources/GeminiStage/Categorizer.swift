// Categorizer: categorize's work — descriptions go to the model K at a time, each with its id;
// every id must come back exactly once with listed categories. An id missing, repeated or
// answered with nothing valid is asked again on its own; records without a description pass
// through untouched; the category list's tokens are paid once per K images.
import Gemini
import Records
import ToolSupport

public final class Categorizer {
    public let settings: GeminiSettings
    public let list: CategoryList
    public let perRequest: Int
    static let stage = "categorize"

    /// The output token budget of a request for `items` descriptions (doubled on MAX_TOKENS online).
    static func outputBudget(items: Int) -> Int { 64 + 40 * items }

    private var useEnum = true
    private var stage: ModelStage?
    private var withoutDescription = 0
    /// Categories already paid for (the reference's categorized CSVs): those images are not sent.
    public var reuse = ReusedAnswers()
    private var reused = 0
    private var calls = 0
    private var itemsSent = 0
    private var resentAlone = 0
    private weak var run: ToolRun?

    public init(settings: GeminiSettings, list: CategoryList, perRequest: Int) throws {
        guard perRequest >= 1 else { throw ToolError.usage("--per-request must be at least 1") }
        guard !list.names.isEmpty else { throw ToolError("the category list is empty") }
        self.settings = settings
        self.list = list
        self.perRequest = perRequest
    }

    /// Categorizes every record; returns the exit status.
    public func categorize(run: ToolRun) throws -> Int32 {
        self.run = run
        if settings.checksModel { try ModelCheck.check(endpoint: settings.endpoint, model: settings.model.id) }
        let stage = try ModelStage(run: run, settings: settings)
        self.stage = stage
        let client = stage.client
        var pending: [Record] = []
        return try stage.drive(extraSummary: {
            if withoutDescription > 0 { run.logger.info("\(withoutDescription) records without a description passed through untouched") }
            return (reused > 0 ? "\(reused) from CSV (no call); " : "") + stage.statisticsText() + "; " + savingText(client.statistics)
        }) {
            var inputDone = false
            while client.hasCapacity, !run.shouldStop {
                guard let item = try run.nextRecord() else {
                    inputDone = true
                    break
                }
                if let answer = reuse.answer(for: item.record), let categories = answer.categories {
                    var record = item.record
                    if record["description"] == nil { record = ReusedAnswers.describe(record, with: answer) }
                    record["categories"] = .array(categories.map { .string($0) })
                    record["reused_from"] = .string(answer.file)
                    reused += 1
                    try run.emit(record)
                    continue
                }
                guard CategoryPrompt.descriptionText(of: item.record) != nil else {
                    withoutDescription += 1
                    try run.emit(item.record)
                    continue
                }
                pending.append(item.record)
                if pending.count == perRequest {
                    submit(CategoryBatch(records: pending), to: client)
                    pending = []
                }
            }
            // A short last batch goes when the input ends; after a signal it is left for the next run.
            if inputDone, !pending.isEmpty {
                submit(CategoryBatch(records: pending), to: client)
                pending = []
            }
            return inputDone
        }
    }

    private func submit(_ batch: CategoryBatch, to client: GeminiClient) {
        calls += 1
        itemsSent += batch.records.count
        let items = batch.records.map { (id: $0.id ?? "", text: CategoryPrompt.descriptionText(of: $0) ?? "") }
        let tokens = CategoryPrompt.overheadTokens(list: list, useEnum: useEnum) + items.reduce(0) { $0 + TokenEstimator.textTokens($1.text) + 8 }
        let enumMode = useEnum
        let outputBudget = Self.outputBudget(items: batch.records.count)
        client.submit(GeminiJob(estimatedTokens: tokens, makeRequest: { [list, settings] scale in
            CategoryPrompt.request(model: settings.model, list: list, items: items, useEnum: enumMode,
                                   maxOutputTokens: outputBudget * scale)
        }, completion: { [weak self, weak client] result in
            guard let self, let client else { return }
            self.finished(batch, enumMode: enumMode, result: result, client: client)
        }))
    }

    private func finished(_ batch: CategoryBatch, enumMode: Bool, result: GeminiJobResult, client: GeminiClient) {
        let source = CategoryBatch.Source(model: settings.model.id, endpoint: settings.endpoint.baseURL)
        for step in batch.steps(after: result, enumMode: enumMode, useEnum: useEnum, list: list, stage: Self.stage, source: source) {
            switch step {
            case .emit(let record):
                emit(record)
            case .resend(let single):
                resentAlone += single.records.count
                submit(single, to: client)
            case .dropEnum(let reason, let again):
                // The API refuses enums it finds too complex: fall back once, for the whole run.
                useEnum = false
                run?.logger.warning("the API refused the category enum (\(reason)); using plain strings with the list in the prompt, validated here")
                submit(again, to: client)
            }
        }
    }

    private func emit(_ record: Record) {
        stage?.emit(record)
    }

    /// What batching saved against one call per image: the rules, list and schema are paid
    /// once per call instead of once per image.
    private func savingText(_ statistics: GeminiCallStatistics) -> String {
        guard itemsSent > 0 else { return "no calls" }
        let overhead = CategoryPrompt.overheadTokens(list: list, useEnum: useEnum)
        let saved = (itemsSent - calls) * overhead
        let used = max(statistics.usage.inputTokens, 1)
        let percent = Double(saved) / Double(used + saved) * 100
        return "batching: \(itemsSent) descriptions in \(calls) calls (\(resentAlone) asked again alone), "
            + "about \(saved) input tokens saved against one call per image (\(Format.fixed(percent, 0))%)"
    }

    // MARK: - Discovering a category list

    /// Samples descriptions and asks for `count` category names; returns them.
    public static func discover(run: ToolRun, settings: GeminiSettings, count: Int, sampleSize: Int) throws -> [String] {
        guard count >= 2 else { throw ToolError.usage("--discover needs at least 2 categories") }
        var sample: [String] = []
        var seen = 0
        var random = SplitMix64(seed: 42)
        while let item = try run.nextRecord() {
            guard let text = CategoryPrompt.descriptionText(of: item.record) else { continue }
            seen += 1
            if sample.count < sampleSize {
                sample.append(text)
            } else {
                let slot = Int(random.next() % UInt64(seen))
                if slot < sampleSize { sample[slot] = text }
            }
        }
        guard !sample.isEmpty else { throw ToolError("no descriptions in the input to discover categories from") }
        if settings.checksModel { try ModelCheck.check(endpoint: settings.endpoint, model: settings.model.id) }
        let client = try ModelStage(run: run, settings: settings).client
        var names: [String]?
        var failure: String?
        let request = CategoryPrompt.discoveryRequest(model: settings.model, count: count, descriptions: sample)
        client.submit(GeminiJob(estimatedTokens: request.estimatedInputTokens(imageWidth: 0, imageHeight: 0),
                                makeRequest: { _ in request }, completion: { result in
            switch result {
            case .answer(let value, _, _): names = value.arrayValue?.compactMap(\.stringValue)
            case .failure(_, let message, _, _, _): failure = message
            }
        }))
        while !client.isIdle, client.stopReason == nil { try client.runOnce() }
        if let reason = client.stopReason ?? failure { throw ToolError("discovering categories failed: \(reason)") }
        let list = CategoryList(names: names ?? [], source: "the model's answer")
        for problem in list.problems { run.logger.warning("\(problem)") }
        run.logger.info("discovered \(list.names.count) categories from \(sample.count) of \(seen) descriptions")
        return list.names
    }
}


extension Categorizer {
    /// --dry-run: counts the descriptions and estimates tokens and cost without calling (at
    /// the batch discount with --batch).
    public func estimate(run: ToolRun, batchMode: Bool = false) throws -> Int32 {
        var items = 0
        var itemTokens = 0
        while let item = try run.nextRecord() {
            guard let text = CategoryPrompt.descriptionText(of: item.record) else { continue }
            items += 1
            itemTokens += TokenEstimator.textTokens(text) + 8
        }
        let calls = (items + perRequest - 1) / perRequest
        let overhead = CategoryPrompt.overheadTokens(list: list, useEnum: true)
        let usage = TokenUsage(inputTokens: itemTokens + calls * overhead, outputTokens: items * 12)
        run.logger.info("dry run: \(items) descriptions in \(calls) calls of up to \(perRequest), \(list.names.count) categories")
        run.logger.info("estimated input tokens: \(usage.inputTokens) (one call per description: \(itemTokens + items * overhead))")
        run.logger.info("estimated \(batchMode ? "in Batch Mode " : "")\(settings.costText(usage, batchMode: batchMode))")
        return run.finish()
    }
}
