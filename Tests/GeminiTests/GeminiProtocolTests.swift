// The Gemini wire format as gemini-api.md documents it: request fields, response reading,
// error envelopes and what each error means for the run.
import Testing
import Records
@testable import Gemini

@Suite struct GeminiProtocolTests {
    @Test func requestPutsTheImageFirstAndAsksForStructuredJSON() throws {
        let request = GenerateContentRequest(model: GeminiModel(id: "gemini-2.5-flash-lite"), prompt: "Describe.",
                                             imageJPEG: [0xFF, 0xD8, 0xFF, 0xE0], responseSchema: DescriptionPrompt.schema)
        let body = try JSONParser.parse(request.bodyBytes)
        let parts = try #require(body["contents"]?.arrayValue?.first?["parts"]?.arrayValue)
        #expect(parts.count == 2)
        #expect(parts[0]["inlineData"]?["mimeType"]?.stringValue == "image/jpeg")
        #expect(parts[0]["inlineData"]?["data"]?.stringValue == "/9j/4A==")
        #expect(parts[1]["text"]?.stringValue == "Describe.")
        let config = try #require(body["generationConfig"])
        #expect(config["responseMimeType"]?.stringValue == "application/json")
        #expect(config["responseSchema"]?["type"]?.stringValue == "OBJECT")
        #expect(config["thinkingConfig"]?["thinkingBudget"]?.intValue == 0)
        #expect(config["maxOutputTokens"]?.intValue == 2048)
    }

    @Test func defaultSchemaHasTheReferenceFieldsInOrderAndCapsLists() throws {
        let schema = DescriptionPrompt.schema
        #expect(schema["propertyOrdering"]?.arrayValue?.compactMap(\.stringValue)
                == ["summary", "objects", "scene", "style", "camera", "text", "quality"])
        #expect(schema["properties"]?["objects"]?["maxItems"]?.intValue == 8)
        #expect(schema["properties"]?["objects"]?["items"]?["properties"]?["attributes"]?["type"]?.stringValue == "ARRAY")
        #expect(schema["properties"]?["scene"]?["properties"]?["indoor_outdoor"]?["enum"]?.arrayValue?.count == 3)
        // The API rejects JSON-Schema-only keywords in responseSchema (docs §1.2).
        #expect(!JSONSerializer.string(schema).contains("additionalProperties"))
    }

    @Test func responseJoinsNonThoughtPartsAndReadsUsage() throws {
        let json = try JSONParser.parse(#"""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"thinking...","thought":true},{"text":"{\"a\":"},{"text":"1}"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":271,"candidatesTokenCount":"24","thoughtsTokenCount":5,"totalTokenCount":300},
             "modelVersion":"gemini-2.5-flash-lite"}
            """#)
        let response = GenerateContentResponse(json: json)
        #expect(response.text == #"{"a":1}"#)
        #expect(response.outcome == .answer)
        #expect(response.usage == TokenUsage(inputTokens: 271, outputTokens: 24, thoughtsTokens: 5))
        #expect(response.modelVersion == "gemini-2.5-flash-lite")
    }

    @Test(arguments: [
        (#"{"candidates":[],"promptFeedback":{"blockReason":"SAFETY"}}"#, GenerateContentResponse.Outcome.blocked("prompt blocked (SAFETY)")),
        (#"{"candidates":[{"finishReason":"SAFETY","index":0}]}"#, .blocked("output blocked (SAFETY)")),
        (#"{"candidates":[{"finishReason":"MAX_TOKENS","index":0}]}"#, .truncated),
        (#"{"candidates":[{"content":{"parts":[{"text":"{\"a\""}]},"finishReason":"MAX_TOKENS"}]}"#, .truncated),
        (#"{"candidates":[]}"#, .empty),
        (#"{"candidates":[{"content":{"role":"model"},"finishReason":"STOP"}]}"#, .empty),
    ])
    func everyKindOfNonAnswerIsRecognised(body: String, outcome: GenerateContentResponse.Outcome) throws {
        #expect(GenerateContentResponse(json: try JSONParser.parse(body)).outcome == outcome)
    }

    @Test func rateLimitErrorCarriesItsRetryDelay() {
        let body = Array(#"""
            {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[
             {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}
            """#.utf8)
        let error = GeminiAPIError(httpStatus: 429, body: body)
        #expect(error.retryDelay == 26)
        #expect(error.disposition == .retry(after: 26))
    }

    @Test func perDayQuotaStopsTheRunInsteadOfRetryingForHours() {
        let body = Array(#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"quota","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}"#.utf8)
        guard case .stopRun(let message) = GeminiAPIError(httpStatus: 429, body: body).disposition else {
            Issue.record("a per-day quota must stop the run")
            return
        }
        #expect(message.contains("daily quota"))
    }

    @Test(arguments: [
        (400, #"{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}"#, "stop"),
        (403, #"{"error":{"code":403,"message":"Method doesn't allow unregistered callers","status":"PERMISSION_DENIED"}}"#, "stop"),
        (404, #"{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}"#, "stop"),
        (400, #"{"error":{"code":400,"message":"Unable to process input image.","status":"INVALID_ARGUMENT"}}"#, "fail"),
        (503, #"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#, "retry"),
        (500, #"[{"error":{"code":500,"message":"Internal error","status":"INTERNAL"}}]"#, "retry"),
        (502, "<html><body>Bad Gateway</body></html>", "retry"),
        (504, "", "retry"),
    ])
    func errorsAreSortedIntoRetryStopOrFail(status: Int, body: String, expected: String) {
        let error = GeminiAPIError(httpStatus: status, body: Array(body.utf8))
        switch error.disposition {
        case .retry: #expect(expected == "retry")
        case .stopRun: #expect(expected == "stop")
        case .failRecord: #expect(expected == "fail")
        }
        #expect(!error.message.isEmpty)
    }

    @Test func arrayWrappedErrorAndRetryAfterHeaderAreRead() {
        let error = GeminiAPIError(httpStatus: 503, body: Array(#"[{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}]"#.utf8),
                                   retryAfterHeader: " 3 ")
        #expect(error.message == "busy")
        #expect(error.status == "UNAVAILABLE")
        #expect(error.retryDelay == 3)
    }
}

@Suite struct JSONExtractionTests {
    @Test(arguments: [
        (#"{"a":1}"#, #"{"a":1}"#),
        ("```json\n{\"a\":[1,2]}\n```", #"{"a":[1,2]}"#),
        ("{\"a\":\"}\"}\n{\"summary\": \"", #"{"a":"}"}"#),
        ("Here: [1,{\"b\":\"x\\\"y\"}] trailing", #"[1,{"b":"x\"y"}]"#),
    ])
    func firstBalancedValueIsParsed(text: String, expected: String) throws {
        #expect(JSONSerializer.string(try JSONExtraction.firstValue(in: text)) == expected)
    }

    @Test func cutOffAndMissingJSONAreTold() {
        #expect(throws: JSONExtraction.Failure.truncated) { _ = try JSONExtraction.firstValue(in: #"{"summary": "A pho"#) }
        #expect(throws: JSONExtraction.Failure.noJSON) { _ = try JSONExtraction.firstValue(in: "no json here") }
    }
}

@Suite struct TokensAndCostTests {
    @Test(arguments: [
        (300, 200, 258), (768, 768, 258), (768, 512, 258), (1024, 768, 516), (4000, 3000, 258 * 4 * 3),
    ])
    func imageTokensFollowThe2xTileRule(width: Int, height: Int, tokens: Int) {
        #expect(TokenEstimator.imageTokens(width: width, height: height, model: GeminiModel(id: "gemini-2.5-flash-lite")).tokens == tokens)
    }

    @Test func mediaResolutionAndGenerationChangeTheRule() {
        let lite = GeminiModel(id: "gemini-2.5-flash-lite")
        #expect(TokenEstimator.imageTokens(width: 768, height: 768, model: lite, mediaResolution: .low).tokens == 64)
        let three = GeminiModel(id: "gemini-3-flash-preview")
        let estimate = TokenEstimator.imageTokens(width: 768, height: 768, model: three)
        #expect(estimate.tokens == 1120)
        #expect(estimate.rule.hasPrefix("3.x"))
    }

    @Test func costBillsThinkingAsOutput() throws {
        // The docs' worked example at flash-lite's list price: ~288 input and ~40 output tokens ≈ $0.000045 per image.
        let usage = TokenUsage(inputTokens: 288, outputTokens: 30, thoughtsTokens: 10)
        #expect(abs(usage.cost(inputPrice: 0.10, outputPrice: 0.40) - 0.0000448) < 1e-9)
    }
}

@Suite struct RequestPacerTests {
    @Test func rpmLimitSpacesRequestsEvenlyJustUnderTheLimit() {
        var pacer = RequestPacer(requestsPerMinute: 600)
        var now = 0.0
        var starts: [Double] = []
        while starts.count < 1200 {
            now += pacer.delay(tokens: 100, now: now)
            pacer.didStart(tokens: 100, now: now)
            starts.append(now)
        }
        // No 60-second window holds more than 600 starts, and the rate is within 1% of the limit.
        var j = 0
        for i in starts.indices {
            while starts[i] - starts[j] >= 60 { j += 1 }
            #expect(i - j + 1 <= 600)
        }
        let rate = Double(starts.count - 1) / (starts.last! - starts.first!) * 60
        #expect(rate > 594 && rate <= 600)
    }

    @Test func tpmLimitPacesByTokens() {
        var pacer = RequestPacer(tokensPerMinute: 60_000)
        pacer.didStart(tokens: 2000, now: 0)
        #expect(abs(pacer.delay(tokens: 2000, now: 0) - 2.0 * RequestPacer.safetyMargin) < 1e-9)
    }

    @Test func rateLimitPausesForRetryDelayAndSlowsDownThenRecovers() {
        var pacer = RequestPacer()
        for i in 0..<20 { pacer.didStart(tokens: 1, now: Double(i) * 0.01) }
        #expect(pacer.delay(tokens: 1, now: 0.2) == 0)
        pacer.didGetRateLimited(retryDelay: 2, now: 0.2)
        #expect(abs(pacer.delay(tokens: 1, now: 0.2) - 2) < 1e-9)
        let braked = pacer.adaptiveInterval
        #expect(braked >= 0.013)
        for _ in 0..<50 { pacer.didSucceed() }
        #expect(pacer.adaptiveInterval < braked)
        for _ in 0..<500 { pacer.didSucceed() }
        #expect(pacer.adaptiveInterval == 0)
    }
}
