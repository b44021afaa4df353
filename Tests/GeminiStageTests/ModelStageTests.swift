// ModelStageTests: each call's result becomes exactly one record — the answer applied, or an
// error record that keeps the tokens paid and what came back.
import Gemini
import Records
import Testing
@testable import GeminiStage

@Suite struct ModelStageTests {
    let input: Record = ["id": .string("x1"), "path": .string("x1.jpg")]

    @Test func anAnswerIsAppliedToTheRecord() {
        let response = GenerateContentResponse(json: ["modelVersion": .string("gemini-test")])
        let out = ModelStage.outcome(input, stage: "gemini-describe",
                                     result: .answer(value: ["summary": .string("a cat")], response: response, attempts: 2)) { record, value, response in
            var record = record
            record["summary"] = value["summary"]
            record["model"] = response.modelVersion.map(JSONValue.string)
            return record
        }
        #expect(out["summary"] == .string("a cat"))
        #expect(out["model"] == .string("gemini-test"))
        #expect(!out.hasError)
    }

    @Test func aFailureKeepsTheUsagePaidAndTheRawAnswer() {
        let usage = TokenUsage(inputTokens: 300, outputTokens: 20)
        let result = GeminiJobResult.failure(code: "bad_json", message: "the answer is not JSON", retryable: true, usage: usage,
                                             rawText: "{\"summary\": \"a ca")
        let out = ModelStage.outcome(input, stage: "gemini-describe", result: result) { _, _, _ in
            Issue.record("a failure must not be applied")
            return [:]
        }
        #expect(out.id == "x1")
        #expect(out.error == RecordError(stage: "gemini-describe", code: "bad_json", message: "the answer is not JSON", retryable: true))
        #expect(out["raw_text"] == .string("{\"summary\": \"a ca"))
        #expect(out["usage"]?["input_tokens"] == .int(300))
        #expect(out["usage"]?["output_tokens"] == .int(20))
    }

    @Test func aFailureWithNothingPaidAddsNoUsageAndNoRawText() {
        let result = GeminiJobResult.failure(code: "server_error", message: "503", retryable: true, usage: TokenUsage(), rawText: "")
        let out = ModelStage.outcome(input, stage: "categorize", result: result) { record, _, _ in record }
        #expect(out["usage"] == nil && out["raw_text"] == nil)
        #expect(out.error?.code == "server_error")
    }
}
