// CategoryBatchTests: what one categorize answer does to each record of its batch — listed
// categories kept, missing and repeated ids asked again alone, then failed; the enum dropped once.
import Gemini
import Records
import Testing
@testable import GeminiStage

@Suite struct CategoryBatchTests {
    let list = CategoryList(names: ["animals", "food", "vehicles"])

    func record(_ id: String) -> Record { ["id": .string(id), "description": .string("a photo of \(id)")] }

    func answer(_ items: [(String, [String])]) -> GeminiJobResult {
        let value = JSONValue.array(items.map { ["id": .string($0.0), "categories": .array($0.1.map { .string($0) })] })
        return .answer(value: value, response: GenerateContentResponse(json: [:]), attempts: 1)
    }

    func emitted(_ steps: [CategoryBatch.Step]) -> [Record] {
        steps.compactMap { if case .emit(let record) = $0 { record } else { nil } }
    }

    func resent(_ steps: [CategoryBatch.Step]) -> [CategoryBatch] {
        steps.compactMap { if case .resend(let batch) = $0 { batch } else { nil } }
    }

    @Test func answeredIDsKeepListedCategoriesAndUnlistedOnesBecomeWarnings() {
        let batch = CategoryBatch(records: [record("a"), record("b")])
        let steps = batch.steps(after: answer([("a", ["animals"]), ("b", ["food", "jewelry"])]), enumMode: true, useEnum: true,
                                list: list, stage: "categorize")
        let out = emitted(steps)
        #expect(out.count == 2 && resent(steps).isEmpty)
        #expect(out[0]["categories"] == .array([.string("animals")]))
        #expect(out[1]["categories"] == .array([.string("food")]))
        #expect(out[1]["warnings"] == .array([.string("dropped unlisted category 'jewelry'")]))
    }

    @Test func aMissingIDIsAskedAloneThenFailsAsNoAnswer() throws {
        let batch = CategoryBatch(records: [record("a"), record("b")])
        let first = batch.steps(after: answer([("a", ["animals"])]), enumMode: true, useEnum: true, list: list, stage: "categorize")
        #expect(emitted(first).map(\.id) == ["a"])
        let alone = try #require(resent(first).first)
        #expect(alone.records.map(\.id) == ["b"] && alone.isRetryAlone && !alone.invalidOnce)
        // Alone and missed: once more, then a no_answer error record.
        let second = try #require(resent(alone.steps(after: answer([]), enumMode: true, useEnum: true, list: list, stage: "categorize")).first)
        #expect(second.invalidOnce)
        let last = emitted(second.steps(after: answer([]), enumMode: true, useEnum: true, list: list, stage: "categorize"))
        #expect(last.count == 1)
        #expect(last.first?.error?.code == "no_answer")
        #expect(last.first?.error?.retryable == true)
    }

    @Test func anIDAnsweredTwiceIsAskedAgainAlone() {
        let batch = CategoryBatch(records: [record("a"), record("b")])
        let steps = batch.steps(after: answer([("a", ["food"]), ("a", ["animals"]), ("b", ["food"])]), enumMode: true, useEnum: true,
                                list: list, stage: "categorize")
        #expect(emitted(steps).map(\.id) == ["b"])
        #expect(resent(steps).map { $0.records.map(\.id) } == [["a"]])
    }

    @Test func noListedCategoryIsAskedOnceMoreThenUnknownWithTheEarlierWarning() throws {
        let batch = CategoryBatch(records: [record("a")])
        let first = batch.steps(after: answer([("a", ["jewelry"])]), enumMode: false, useEnum: false, list: list, stage: "categorize")
        let again = try #require(resent(first).first)
        #expect(again.invalidOnce && again.carriedWarnings == ["dropped unlisted category 'jewelry'"])
        let out = emitted(again.steps(after: answer([("a", ["rocks"])]), enumMode: false, useEnum: false, list: list, stage: "categorize"))
        #expect(out.first?["categories"] == .array([.string(CategoryList.unknown)]))
        #expect(out.first?["warnings"] == .array([.string("dropped unlisted category 'jewelry'"), .string("dropped unlisted category 'rocks'"),
                                                 .string("no valid category after a retry; set to unknown")]))
    }

    @Test func moreThanTwoCategoriesAreCutWithAWarning() {
        let steps = CategoryBatch(records: [record("a")]).steps(after: answer([("a", ["animals", "food", "vehicles"])]), enumMode: true,
                                                              useEnum: true, list: list, stage: "categorize")
        let out = emitted(steps)
        #expect(out.first?["categories"]?.arrayValue?.count == 2)
        #expect(out.first?["warnings"] == .array([.string("the model gave 3 categories; kept at most two")]))
    }

    @Test func aRefusedEnumIsDroppedOnceAndTheWholeBatchResent() throws {
        let refused = GeminiJobResult.failure(code: "bad_request", message: "enum too complex", retryable: false, usage: TokenUsage(), rawText: nil)
        let batch = CategoryBatch(records: [record("a"), record("b")])
        let steps = batch.steps(after: refused, enumMode: true, useEnum: true, list: list, stage: "categorize")
        #expect(steps.count == 1)
        guard case .dropEnum(let reason, let again) = try #require(steps.first) else {
            Issue.record("expected the enum to be dropped, got \(steps)")
            return
        }
        #expect(reason == "enum too complex" && again.records.map(\.id) == ["a", "b"])
        // Without the enum, a refused batch is split into single records; a single one fails.
        let split = batch.steps(after: refused, enumMode: false, useEnum: false, list: list, stage: "categorize")
        #expect(resent(split).map { $0.records.map(\.id) } == [["a"], ["b"]])
        let single = CategoryBatch(records: [record("a")]).steps(after: refused, enumMode: false, useEnum: false, list: list, stage: "categorize")
        #expect(emitted(single).first?.error?.code == "bad_request")
    }

    @Test func otherFailuresBecomeOneErrorRecordPerRecord() {
        let failure = GeminiJobResult.failure(code: "server_error", message: "503 after 5 retries", retryable: true, usage: TokenUsage(), rawText: nil)
        let out = emitted(CategoryBatch(records: [record("a"), record("b")]).steps(after: failure, enumMode: true, useEnum: true,
                                                                                   list: list, stage: "categorize"))
        #expect(out.map(\.id) == ["a", "b"])
        #expect(out.allSatisfy { $0.error?.code == "server_error" && $0.error?.retryable == true && $0.error?.stage == "categorize" })
    }
}
