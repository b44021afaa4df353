// CategorizerBatchWork: categorize --batch — each request of a job is one categorize call as
// the online run makes it (the same prompt, --per-request descriptions packed in it, the
// category enum), and its answer is read record by record by the same CategoryBatch rules.
// What differs: a job's answer is final, so a record the online run would ask again alone (its
// id missing or repeated, no listed category) becomes a retryable error record, which the next
// run sends again; a failed request gives error records for exactly its descriptions.
import Gemini
import Records

public struct CategorizerBatchWork: BatchWork {
    public let settings: GeminiSettings
    public let list: CategoryList
    public let perRequest: Int

    public init(categorizer: Categorizer) {
        settings = categorizer.settings
        list = categorizer.list
        perRequest = categorizer.perRequest
    }

    public var stage: String { Categorizer.stage }
    public var modelID: String { settings.model.id }
    public var batchMethod: String { "batchGenerateContent" }
    public var recordsPerRequest: Int { perRequest }

    public func checkModel(endpoint: GeminiEndpoint) throws {
        try ModelCheck.check(endpoint: endpoint, model: settings.model.id)
    }

    /// Records without a description pass through untouched, as online.
    public func batchPassThrough(_ record: Record) -> Record? {
        CategoryPrompt.descriptionText(of: record) == nil ? record : nil
    }

    public func batchRequest(for records: [Record], wire: BatchWire) -> Result<JSONValue, RecordError> {
        let items = records.map { (id: $0.id ?? "", text: CategoryPrompt.descriptionText(of: $0) ?? "") }
        return .success(wire.body(CategoryPrompt.request(model: settings.model, list: list, items: items, useEnum: true,
                                                         maxOutputTokens: Categorizer.outputBudget(items: items.count))))
    }

    public func batchOutcome(_ records: [Record], response body: JSONValue, wire: BatchWire, usage: inout TokenUsage) -> [Record] {
        let (response, result) = wire.generateResult(body, schema: CategoryPrompt.schema(list: list, useEnum: true))
        usage += response.usage
        let source = CategoryBatch.Source(model: settings.model.id, endpoint: settings.endpoint.baseURL)
        let steps = CategoryBatch(records: records).steps(after: result, enumMode: true,
                                                          useEnum: true, list: list, stage: stage, source: source)
        return steps.map { step in
            switch step {
            case .emit(let record):
                return record
            case .resend(let again):
                var record = again.records[0]
                let (code, what) = again.invalidOnce ? ("no_valid_category", "named no listed category")
                                                     : ("no_answer", "did not answer for this id")
                record.setError(RecordError(stage: stage, code: code,
                                            message: "the model \(what) in the batch job; a rerun asks again", retryable: true))
                return record
            case .dropEnum(let reason, let again):
                // Not reached (a refused request is a result's error, not a response), but a
                // record never goes missing.
                var record = again.records[0]
                record.setError(RecordError(stage: stage, code: "bad_request", message: reason, retryable: false))
                return record
            }
        }
    }

    public func batchSummary(_ usage: TokenUsage) -> String {
        settings.batchSummary(usage)
    }
}
