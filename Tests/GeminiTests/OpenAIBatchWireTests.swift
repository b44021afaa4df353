// The OpenAI-style Batch API without a server: a request line holds the online call's body, a
// Batch object's status in Gemini's words, output and error lines read by custom_id, and a
// categorize answer in a batch unwrapped from strict mode's object as online.
import Testing
import HTTP
import Records
@testable import Gemini

@Suite struct OpenAIBatchWireTests {
    let endpoint = try! GeminiEndpoint(baseURL: "http://127.0.0.1:9/v1", apiKey: "", provider: .openai)

    @Test func aRequestLineHoldsTheOnlineBody() throws {
        let client = try OpenAIBatchClient(endpoint: endpoint, retryPolicy: RetryPolicy())
        let request = GenerateContentRequest(model: GeminiModel(id: "m"), prompt: "p", responseSchema: DescriptionPrompt.schema)
        let body = BatchWire(endpoint: endpoint).body(request)
        #expect(body == OpenAIChatRequest.json(request))
        let line = client.requestLine(key: "r3", body: body, method: "batchGenerateContent")
        #expect(line["custom_id"] == "r3" && line["method"] == "POST" && line["url"] == "/v1/chat/completions" && line["body"] == body)
        #expect(client.requestLine(key: "r0", body: [:], method: "asyncBatchEmbedContent")["url"] == "/v1/embeddings")
        #expect(!client.takesInlineRequests && client.maximumRequests == 50_000)
    }

    @Test func aBatchObjectReadsInGeminiWords() throws {
        func status(_ text: String) throws -> BatchJobStatus {
            BatchJobStatus(openAI: try JSONParser.parse(#"{"id": "batch_7", "status": "\#(text)", "output_file_id": "file-o", "error_file_id": null, "#
                                                        + #""request_counts": {"total": 5, "completed": 3, "failed": 1}, "metadata": {"display_name": "embed-m-abc"}}"#))
        }
        #expect(try status("validating").state == "PENDING")
        #expect(try ["in_progress", "finalizing", "cancelling"].map { try status($0).state } == ["RUNNING", "RUNNING", "RUNNING"])
        let done = try status("completed")
        #expect(done.state == "SUCCEEDED" && done.isFinished && done.name == "batch_7" && done.displayName == "embed-m-abc")
        #expect(done.responsesFile == "file-o" && done.errorsFile == nil)
        #expect((done.requestCount, done.succeeded, done.failed, done.pending) == (5, 3, 1, 1))
        #expect(try ["failed", "expired", "cancelled"].map { try status($0).state } == ["FAILED", "EXPIRED", "CANCELLED"])
        let failed = BatchJobStatus(openAI: try JSONParser.parse(
            #"{"id": "batch_8", "status": "failed", "errors": {"object": "list", "data": [{"code": "duplicate_custom_id", "message": "dup", "line": 4}]}}"#))
        #expect(failed.errorMessage == "line 4: dup")
    }

    @Test func outputAndErrorLinesAreReadByCustomID() throws {
        let client = try OpenAIBatchClient(endpoint: endpoint, retryPolicy: RetryPolicy())
        let good = client.result(line: try JSONParser.parse(
            #"{"id": "batch_req_1", "custom_id": "r4", "response": {"status_code": 200, "body": {"object": "chat.completion"}}, "error": null}"#))
        guard good.key == "r4", case .response(let body) = good.result else { Issue.record("\(good)"); return }
        #expect(body["object"] == "chat.completion")
        let bad = client.result(line: try JSONParser.parse(
            #"{"custom_id": "r5", "response": {"status_code": 400, "body": {"error": {"message": "bad image", "type": "invalid_request_error", "code": "invalid_image_format"}}}, "error": null}"#))
        guard bad.key == "r5", case .failure(let code, let message, let permanent) = bad.result else { Issue.record("\(bad)"); return }
        #expect(code == "invalid_image_format" && message == "bad image" && permanent)
        let busy = client.result(line: try JSONParser.parse(
            #"{"custom_id": "r6", "response": {"status_code": 429, "body": {"error": {"message": "slow down", "type": "requests"}}}, "error": null}"#))
        guard case .failure(_, _, let busyPermanent) = busy.result else { Issue.record("\(busy)"); return }
        #expect(!busyPermanent)  // a 429 line: a rerun may get through
        let expired = client.result(line: try JSONParser.parse(
            #"{"custom_id": "r7", "response": null, "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}}"#))
        guard case .failure(let expiredCode, _, let expiredPermanent) = expired.result else { Issue.record("\(expired)"); return }
        #expect(expiredCode == "batch_expired" && !expiredPermanent)
    }

    @Test func aCategorizeAnswerIsUnwrappedAsOnline() throws {
        let list = CategoryList(names: ["pets", "food"])
        let schema = CategoryPrompt.schema(list: list, useEnum: true)
        let answer: JSONValue = ["model": "m", "choices": [["index": 0, "finish_reason": "stop",
                                                            "message": ["role": "assistant", "content": #"{"items": [{"id": "a", "categories": ["pets"]}]}"#]]],
                                 "usage": ["prompt_tokens": 10, "completion_tokens": 4]]
        let (response, result) = BatchWire(endpoint: endpoint).generateResult(answer, schema: schema)
        #expect(response.usage.inputTokens == 10 && response.usage.outputTokens == 4)
        guard case .answer(let value, _, _) = result else { Issue.record("\(result)"); return }
        #expect(value == [["id": "a", "categories": ["pets"]]])
    }
}
