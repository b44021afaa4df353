// Embedder: embed's work — each record's text to a vector: up to 100 texts per
// batchEmbedContents call (taskType CLUSTERING) on ModelStage's record loop, with its pacing,
// retries and resume; or locally (--local tfidf: hashed TF-IDF terms, no API, no key); or an
// estimate of tokens and cost without calling (--dry-run).
import Analysis
import Gemini
import Records
import ToolSupport

public final class Embedder {
    public static let stage = "embed"

    public let model: EmbeddingModel
    /// outputDimensionality asked for; nil: the model's full size.
    public let dimensions: Int?
    public let text: EmbeddingText
    public let perRequest: Int
    /// USD per 1M tokens and where it came from (PriceTable); nil: unknown.
    public let price: ResolvedPrice?

    private var calls = 0
    private var textsSent = 0

    public init(model: EmbeddingModel, dimensions: Int?, text: EmbeddingText, perRequest: Int = BatchEmbedRequest.maximumTexts,
                price: ResolvedPrice? = nil) throws {
        guard (1...BatchEmbedRequest.maximumTexts).contains(perRequest) else {
            throw ToolError.usage("--per-request must be between 1 and \(BatchEmbedRequest.maximumTexts) (the API's limit per call)")
        }
        // (A retired model's size is not checked: the model check names its replacement instead.)
        if let dimensions, let full = model.fullDimensions, model.replacement == nil, !(1...full).contains(dimensions) {
            throw ToolError.usage("--dimensions must be between 1 and \(full) for \(model.id)")
        }
        self.model = model
        self.dimensions = dimensions
        self.text = text
        self.perRequest = perRequest
        self.price = price
    }

    /// Fails when the API does not know the model, naming the replacement of a retired one.
    public func checkModel(endpoint: GeminiEndpoint) throws {
        do {
            try ModelCheck.check(endpoint: endpoint, model: model.id, method: "embedContent", retirementNote: model.retirementNote)
        } catch {
            throw ToolError("\(error)")
        }
    }

    /// Embeds every record with the API.
    public func embed(run: ToolRun, settings: GeminiSettings, output: EmbeddingOutput) throws -> Int32 {
        if settings.checksModel { try checkModel(endpoint: settings.endpoint) }
        let stage = try ModelStage(run: run, settings: settings)
        let client = stage.client
        var pending: [(record: Record, text: String)] = []
        return try stage.drive(extraSummary: { summary(client.statistics, provider: settings.provider) }) {
            var inputDone = false
            while client.hasCapacity, !run.shouldStop {
                guard let item = try run.nextRecord() else {
                    inputDone = true
                    break
                }
                guard let text = text.text(of: item.record) else {
                    try run.emit(text.missing(item.record, stage: Self.stage))
                    continue
                }
                pending.append((item.record, text))
                if pending.count == perRequest {
                    submit(pending, to: stage, output: output)
                    pending = []
                }
            }
            // A short last call goes when the input ends; after a signal it is left for the next run.
            if inputDone, !pending.isEmpty {
                submit(pending, to: stage, output: output)
                pending = []
            }
            return inputDone
        }
    }

    private func submit(_ batch: [(record: Record, text: String)], to stage: ModelStage, output: EmbeddingOutput) {
        calls += 1
        textsSent += batch.count
        let request = self.request(texts: batch.map(\.text))
        stage.client.submit(EmbeddingJob(request: request) { result in
            switch result {
            case .vectors(let vectors, let emulated, _):
                do {
                    let items = zip(batch, vectors).map { (record: $0.record, text: $0.text, vector: $1) }
                    for record in try output.embedded(items, emulated: emulated) { stage.emit(record) }
                } catch {
                    stage.stop(with: ToolError("cannot write the vectors file: \(error)"))
                }
            case .failure(let code, let message, let retryable):
                for item in batch {
                    var record = item.record
                    record.setError(RecordError(stage: Self.stage, code: code, message: message, retryable: retryable))
                    stage.emit(record)
                }
            }
        })
    }

    /// The call for `texts`: task CLUSTERING, the dimensions asked for.
    func request(texts: [String]) -> BatchEmbedRequest {
        BatchEmbedRequest(model: model, texts: texts, taskType: .clustering, dimensions: dimensions)
    }

    /// Texts, calls, estimated tokens and cost for the summary line.
    private func summary(_ statistics: GeminiCallStatistics, provider: ModelProvider) -> String {
        let perThousand = textsSent == 0 ? 0 : Double(calls) * 1000 / Double(textsSent)
        // Gemini reports no usage for embeddings; OpenAI-compatible servers usually do.
        let (method, tokens) = provider == .gemini ? ("batchEmbedContents", "about \(statistics.usage.inputTokens) input tokens (estimated: the API reports none for embeddings)")
            : ("embeddings", "\(statistics.usage.inputTokens) input tokens (as the server reported, else estimated)")
        return "\(textsSent) texts in \(calls) \(method) calls (\(Format.fixed(perThousand, 1)) per 1,000 texts; "
            + "\(statistics.requests) requests, \(statistics.retries) retried, \(statistics.rateLimited) rate-limited (429)); "
            + tokens + "; "
            + costText(tokens: statistics.usage.inputTokens)
    }

    /// "cost $0.0012 at $0.15 per 1M input tokens (built-in gemini-embedding-001)", or that it
    /// is unknown; Batch Mode takes its discount off.
    func costText(tokens: Int, batchMode: Bool = false) -> String {
        PriceTable.costText(price, model: model.id, usage: TokenUsage(inputTokens: tokens), batchMode: batchMode, inputOnly: true)
    }

    /// --local tfidf: hashed terms with sublinear tf, L2-normalised; no API, no key, no cost.
    public static func embedLocally(run: ToolRun, text: EmbeddingText, dimensions: Int, output: EmbeddingOutput) throws -> Int32 {
        var embedded = 0
        while let item = try run.nextRecord() {
            guard let content = text.text(of: item.record) else {
                try run.emit(text.missing(item.record, stage: stage))
                continue
            }
            let vector = HashedTermVector.vector(terms: Tokenizer.terms(content), dimensions: dimensions)
            for record in try output.embedded([(item.record, content, vector)]) { try run.emit(record) }
            embedded += 1
        }
        return run.finish(extraSummary: "\(embedded) local TF-IDF vectors of \(dimensions) dimensions, no API call, cost $0")
    }

    /// --dry-run: counts the texts and estimates calls, tokens and cost (at Batch Mode's half
    /// price with --batch) without calling.
    public func estimate(run: ToolRun, batchMode: Bool = false) throws -> Int32 {
        var texts = 0
        var tokens = 0
        var withoutText = 0
        while let item = try run.nextRecord() {
            guard let content = text.text(of: item.record) else {
                withoutText += 1
                continue
            }
            texts += 1
            tokens += TokenEstimator.textTokens(content)
        }
        let calls = (texts + perRequest - 1) / perRequest
        run.logger.info("dry run: \(texts) texts (\(withoutText) records without one) in \(calls) batchEmbedContents calls of up to \(perRequest), \(model.id)")
        run.logger.info("estimated input tokens: \(tokens) (about four characters a token)")
        run.logger.info("estimated \(batchMode ? "in Batch Mode " : "")\(costText(tokens: tokens, batchMode: batchMode))")
        return run.finish()
    }
}
