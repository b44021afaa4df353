// The OpenAI-compatible wire format, without a server: the tools' Gemini schemas as strict JSON
// Schema, the validation used when a server cannot enforce it, chat completion bodies, and
// answers read into the same GenerateContentResponse the Gemini path makes.
import Testing
import HTTP
import Records
@testable import Gemini

@Suite struct OpenAIWireTests {
    @Test func descriptionSchemaBecomesStrictJSONSchema() {
        let (strict, wrapped) = JSONSchemaConversion.strict(DescriptionPrompt.schema)
        #expect(!wrapped)
        #expect(strict["type"] == "object")
        #expect(strict["additionalProperties"] == false)
        #expect(strict["required"]?.arrayValue?.compactMap(\.stringValue) == ["summary", "objects", "scene", "style", "camera", "text", "quality"])
        #expect(strict["properties"]?["objects"]?["type"] == "array")
        #expect(strict["properties"]?["objects"]?["maxItems"]?.intValue == 8)
        #expect(strict["properties"]?["objects"]?["items"]?["additionalProperties"] == false)
        #expect(strict["properties"]?["scene"]?["properties"]?["indoor_outdoor"]?["enum"] == ["indoor", "outdoor", "unknown"])
        #expect(strict["propertyOrdering"] == nil && strict["properties"]?["scene"]?["propertyOrdering"] == nil)
    }

    @Test func optionalPropertiesBecomeRequiredButNullableAndArraysAreWrapped() {
        let schema: JSONValue = ["type": "OBJECT", "properties": ["a": ["type": "STRING"], "b": ["type": "INTEGER", "enum": ["1", "2"]]],
                                 "required": ["a"]]
        let (strict, _) = JSONSchemaConversion.strict(schema)
        #expect(strict["required"] == ["a", "b"])
        #expect(strict["properties"]?["a"]?["type"] == "string")
        #expect(strict["properties"]?["b"]?["type"] == ["integer", "null"])
        #expect(strict["properties"]?["b"]?["enum"] == ["1", "2", .null])
        let list = CategoryList(names: ["pets", "food"], source: "test")
        let (categories, wrapped) = JSONSchemaConversion.strict(CategoryPrompt.schema(list: list, useEnum: true))
        #expect(wrapped)
        #expect(categories["type"] == "object" && categories["required"] == ["items"])
        #expect(categories["properties"]?["items"]?["items"]?["properties"]?["categories"]?["items"]?["enum"] == ["pets", "food", "unknown"])
    }

    @Test func validationFindsWhatAStrictServerWouldHaveRefused() throws {
        let (strict, _) = JSONSchemaConversion.strict(DescriptionPrompt.schema)
        let good: JSONValue = try JSONParser.parse(#"""
            {"summary":"s","objects":[{"name":"n","attributes":["a"]}],"scene":{"indoor_outdoor":"indoor","environment":[]},
             "style":{"genre":"g","lighting":"l","colors":[]},"camera":{"shot":"s","fov":"f","lens":"l"},"text":[],
             "quality":{"aesthetic":"good","issues":[]}}
            """#)
        #expect(JSONSchemaValidator.problem(good, schema: strict) == nil)
        var missing = try #require(good.objectValue)
        missing["camera"] = nil
        #expect(JSONSchemaValidator.problem(.object(missing), schema: strict) == "$: missing camera")
        var badEnum = try #require(good.objectValue)
        badEnum["scene"] = ["indoor_outdoor": "underwater", "environment": []]
        #expect(JSONSchemaValidator.problem(.object(badEnum), schema: strict) == "$.scene.indoor_outdoor: not one of the allowed values")
        var extra = try #require(good.objectValue)
        extra["mood"] = "calm"
        #expect(JSONSchemaValidator.problem(.object(extra), schema: strict) == "$: unexpected property mood")
        var tooMany = try #require(good.objectValue)
        tooMany["text"] = .array(Array(repeating: "t", count: 9))
        #expect(JSONSchemaValidator.problem(.object(tooMany), schema: strict) == "$.text: more than 8 items")
        var wrongType = try #require(good.objectValue)
        wrongType["summary"] = 3
        #expect(JSONSchemaValidator.problem(.object(wrongType), schema: strict) == "$.summary: expected string")
    }

    @Test func chatBodyCarriesTheImageAsADataURLAndTheSchemaStrict() throws {
        let request = GenerateContentRequest(model: GeminiModel(id: "llava"), prompt: "Describe.", imageJPEG: [0xFF, 0xD8, 0xFF, 0xE0],
                                             responseSchema: DescriptionPrompt.schema, maxOutputTokens: 300)
        let body = OpenAIChatRequest.json(request)
        #expect(body["model"] == "llava")
        #expect(body["max_tokens"]?.intValue == 300)
        let parts = try #require(body["messages"]?.arrayValue?.last?["content"]?.arrayValue)
        #expect(parts.first?["text"] == "Describe.")
        #expect(parts.last?["image_url"]?["url"] == "data:image/jpeg;base64,/9j/4A==")
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["strict"] == true)
        #expect(body["response_format"]?["json_schema"]?["schema"] == JSONSchemaConversion.strict(DescriptionPrompt.schema).schema)
        let fallback = OpenAIChatRequest.json(request, asking: OpenAIAsking(structuredOutput: .jsonObject))
        #expect(fallback["response_format"] == ["type": "json_object"])
        let reasoning = OpenAIChatRequest.json(request, asking: OpenAIAsking(tokenLimit: .maxCompletionTokens))
        #expect(reasoning["max_completion_tokens"]?.intValue == 300 && reasoning["max_tokens"] == nil)
        #expect(body["temperature"] != nil)
        #expect(OpenAIChatRequest.json(request, asking: OpenAIAsking(sendsTemperature: false))["temperature"] == nil)
        let prompt = try #require(fallback["messages"]?.arrayValue?.last?["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(prompt.hasPrefix("Describe.") && prompt.contains("JSON Schema") && prompt.contains("\"additionalProperties\":false"))
    }

    @Test func answersReadAsGeminiAnswersAre() throws {
        func response(_ text: String) throws -> GenerateContentResponse {
            GenerateContentResponse(openAIChat: try JSONParser.parse(text))
        }
        let ok = try response(#"""
            {"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{\"a\":1}"}}],
             "usage":{"prompt_tokens":300,"completion_tokens":80,"completion_tokens_details":{"reasoning_tokens":64}},"emulator":true}
            """#)
        #expect(ok.outcome == .answer && ok.text == #"{"a":1}"# && ok.finishReason == "STOP" && ok.emulated)
        #expect(ok.usage == TokenUsage(inputTokens: 300, outputTokens: 16, thoughtsTokens: 64))
        #expect(try response(#"{"choices":[{"finish_reason":"length","message":{"content":"{\"a\":"}}]}"#).outcome == .truncated)
        #expect(try response(#"{"choices":[{"finish_reason":"content_filter","message":{"content":null}}]}"#).outcome
                == .blocked("output blocked (CONTENT_FILTER)"))
        #expect(try response(#"{"choices":[{"finish_reason":"stop","message":{"content":null,"refusal":"No."}}]}"#).outcome
                == .blocked("the model refused (No.)"))
        #expect(try response(#"{"choices":[]}"#).outcome == .empty)
    }

    /// What a server refused of a request asked the usual way (json_schema, max_tokens, 0.2).
    func refused(_ error: GeminiAPIError) -> OpenAIAsking.Refusal? {
        OpenAIChatRequest.refusal(error, asked: OpenAIAsking())
    }

    @Test func openAIErrorsMapToTheSameDispositions() {
        func error(_ status: Int, _ body: String, retryAfter: String? = nil) -> GeminiAPIError {
            GeminiAPIError(httpStatus: status, body: Array(body.utf8), retryAfterHeader: retryAfter, keyVariables: ModelProvider.openai.keyVariables)
        }
        #expect(error(429, #"{"error":{"message":"Rate limit","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#, retryAfter: "0.5")
            .disposition == .retry(after: 0.5))
        guard case .stopRun(let quota) = error(429, #"{"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}"#).disposition else {
            Issue.record("insufficient_quota must stop the run")
            return
        }
        #expect(quota.contains("OPENAI_API_KEY"))
        guard case .stopRun(let key) = error(401, #"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#).disposition else {
            Issue.record("401 must stop the run")
            return
        }
        #expect(key.contains("OPENAI_API_KEY") && !key.contains("GEMINI"))
        let refusal = error(400, #"{"error":{"message":"response_format of type 'json_schema' is not supported","param":"response_format"}}"#)
        #expect(refused(refusal) == .jsonSchema)
        #expect(refused(error(400, #"{"error":{"message":"Invalid image"}}"#)) != .jsonSchema)
        // OpenAI's reasoning models refuse max_tokens by name; a bad value of it is another error.
        #expect(refused(error(400, #"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported "#
            + #"with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#)) == .maxTokens)
        #expect(refused(error(400, #"{"error":{"message":"Invalid 'max_tokens': must be a positive integer.","param":"max_tokens"}}"#)) != .maxTokens)
        #expect(refused(error(400, #"{"error":{"message":"Invalid 'max_completion_tokens': too large."}}"#)) != .maxTokens)
        // vLLM's words for a budget over the context name both fields: a value problem, not the parameter.
        #expect(refused(error(400, #"{"error":{"message":"'max_tokens' or 'max_completion_tokens' is too large: 8000. "#
            + #"This model's maximum context length is 4096 tokens and your request has 900 input tokens (8000 > 4096 - 900).","type":"BadRequestError"}}"#)) != .maxTokens)
        #expect(refused(error(400, #"{"error":{"message":"Unsupported value: 'temperature' does not support 0.2 "#
            + #"with this model. Only the default (1) value is supported.","param":"temperature","code":"unsupported_value"}}"#)) == .temperature)
        #expect(refused(error(400, #"{"error":{"message":"Invalid 'temperature': must be at most 2."}}"#)) != .temperature)
        #expect(error(503, #"[{"error":{"message":"overloaded","type":"server_error"}}]"#).message == "overloaded")
    }

    /// A GPU server on the LAN over plain http works without a key (nothing secret travels); a
    /// key only goes over https or to loopback, and a Gemini key never over plain http.
    @Test func plainHTTPToALANServerOnlyWithoutAKey() throws {
        let lan = "http://192.168.1.20:8000/v1"
        let keyless = try GeminiEndpoint(baseURL: lan, apiKey: "", provider: .openai)
        #expect(keyless.baseURL == lan)
        #expect(!keyless.headers.contains { $0.name.lowercased() == "authorization" })
        #expect(throws: EndpointURLError.self) { try GeminiEndpoint(baseURL: lan, apiKey: "sk-secret", provider: .openai) }
        #expect(throws: EndpointURLError.self) { try GeminiEndpoint(baseURL: "http://192.168.1.20:8000", apiKey: "", provider: .gemini) }
        let keyed = try GeminiEndpoint(baseURL: "https://gpu.example.org/v1", apiKey: "sk-secret", provider: .openai)
        #expect(keyed.headers.contains { $0.name == "Authorization" && $0.value == "Bearer sk-secret" })
        #expect(try GeminiEndpoint(baseURL: "http://127.0.0.1:8000/v1", apiKey: "sk-secret", provider: .openai).baseURL == "http://127.0.0.1:8000/v1")
    }
}
