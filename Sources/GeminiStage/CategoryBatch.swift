// CategoryBatch: the records of one categorize request, and what its answer means for each of
// them — written with its categories, asked again alone, or failed — decided here without any
// call, so the rules can be tested record by record.
import Gemini
import Records

/// One request's worth of records for categorize.
struct CategoryBatch {
    var records: [Record]
    /// Asked alone after the batch answer missed it; a second miss is final.
    var isRetryAlone = false
    var invalidOnce = false
    /// Warnings from an earlier answer for this (single) record, kept for its output.
    var carriedWarnings: [String] = []

    /// What to do after an answer.
    enum Step {
        /// Write this record (categorized, or with its error set).
        case emit(Record)
        /// Send this batch (one record asked again alone).
        case resend(CategoryBatch)
        /// The API refused the category enum: use plain strings for the rest of the run and
        /// send the batch again that way.
        case dropEnum(reason: String, resend: CategoryBatch)
    }

    /// Where answers come from, written beside the categories (`category_model`,
    /// `category_endpoint`, and `emulated` when the Gemini emulator answered).
    struct Source {
        /// The model asked (the answer's `modelVersion` wins when it has one).
        var model: String
        var endpoint: String
    }

    /// The steps for `result`, the answer to this batch sent with (`enumMode`) or without the
    /// category enum; `useEnum` is whether the run still uses it.
    func steps(after result: GeminiJobResult, enumMode: Bool, useEnum: Bool, list: CategoryList, stage: String,
               source: Source? = nil) -> [Step] {
        switch result {
        case .failure(let code, let message, let retryable, _, _):
            if code == "bad_request", enumMode, useEnum {
                return [.dropEnum(reason: message, resend: CategoryBatch(records: records, isRetryAlone: isRetryAlone))]
            }
            if code == "bad_request", !enumMode, records.count > 1 {
                return records.map { .resend(CategoryBatch(records: [$0], isRetryAlone: true)) }
            }
            return records.map { record in
                var record = record
                record.setError(RecordError(stage: stage, code: code, message: message, retryable: retryable))
                return .emit(record)
            }
        case .answer(let value, let response, _):
            let (answers, repeated) = CategoryPrompt.parseAnswer(value)
            return records.map { record in
                let id = record.id ?? ""
                guard let answer = answers[id], !repeated.contains(id) else { return missing(record, stage: stage) }
                var step = categorized(record, answer: answer, list: list)
                if case .emit(var out) = step, let source {
                    out["category_model"] = .string(response.modelVersion ?? source.model)
                    out["category_endpoint"] = .string(source.endpoint)
                    if response.emulated { out["emulated"] = .bool(true) }
                    step = .emit(out)
                }
                return step
            }
        }
    }

    /// Missing or repeated in a batch: ask again alone; alone, once more, then fail.
    private func missing(_ record: Record, stage: String) -> Step {
        if !isRetryAlone || !invalidOnce {
            return .resend(CategoryBatch(records: [record], isRetryAlone: true, invalidOnce: isRetryAlone))
        }
        var failed = record
        failed.setError(RecordError(stage: stage, code: "no_answer", message: "the model did not answer for this id", retryable: true))
        return .emit(failed)
    }

    /// The record with its listed categories (at most two), or asked once more alone when none
    /// of them is on the list.
    private func categorized(_ record: Record, answer: [String], list: CategoryList) -> Step {
        let (categories, dropped) = list.validate(answer)
        var warnings = carriedWarnings + dropped.map { "dropped unlisted category '\($0)'" }
        if categories.isEmpty, !invalidOnce {
            return .resend(CategoryBatch(records: [record], isRetryAlone: true, invalidOnce: true, carriedWarnings: warnings))
        }
        var out = record
        out["categories"] = .array((categories.isEmpty ? [CategoryList.unknown] : categories).map { .string($0) })
        if categories.isEmpty { warnings.append("no valid category after a retry; set to unknown") }
        if answer.count > 2 { warnings.append("the model gave \(answer.count) categories; kept at most two") }
        if !warnings.isEmpty { out["warnings"] = .array(warnings.map { .string($0) }) }
        return .emit(out)
    }
}
