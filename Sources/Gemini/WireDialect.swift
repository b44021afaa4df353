// WireDialect: the one place where the providers differ for GeminiClient — the URL, headers and
// body of a call, and the reading of an answer or an error. Pacing, retries, the limiter and
// the outcome of each job stay in the client, the same for every provider.
import HTTP
import Records

struct WireDialect {
    let endpoint: GeminiEndpoint

    var provider: ModelProvider { endpoint.provider }

    func generateCall(_ request: GenerateContentRequest, asking: OpenAIAsking) -> HTTPRequest {
        switch provider {
        case .gemini:
            return post(endpoint.url(model: request.model.id, method: "generateContent"), request.bodyBytes)
        case .openai:
            return post(endpoint.url(openAIPath: "chat/completions"),
                        OpenAIChatRequest.bodyBytes(request, asking: asking))
        }
    }

    func embedCall(_ request: BatchEmbedRequest) -> HTTPRequest {
        switch provider {
        case .gemini:
            return post(endpoint.url(model: request.model.id, method: "batchEmbedContents"), request.bodyBytes)
        case .openai:
            return post(endpoint.url(openAIPath: "embeddings"), OpenAIEmbeddings.bodyBytes(request))
        }
    }

    func generateResponse(_ json: JSONValue) -> GenerateContentResponse {
        switch provider {
        case .gemini: return GenerateContentResponse(json: json)
        case .openai: return GenerateContentResponse(openAIChat: json)
        }
    }

    /// The vectors, and the input tokens the server reports (nil: none; Gemini reports none).
    func embedResponse(_ bytes: [UInt8], request: BatchEmbedRequest) throws(BatchEmbedResponse.Problem) -> (BatchEmbedResponse, Int?) {
        switch provider {
        case .gemini: return (try BatchEmbedResponse(bytes: bytes, request: request), nil)
        case .openai: return try OpenAIEmbeddings.response(bytes, request: request)
        }
    }

    func error(status: Int, body: [UInt8], retryAfter: String?) -> GeminiAPIError {
        GeminiAPIError(httpStatus: status, body: body, retryAfterHeader: retryAfter, keyVariables: provider.keyVariables)
    }

    /// What the server refused of a request asked `asked` (OpenAI-compatible only), or nil.
    func refusal(_ error: GeminiAPIError, asked: OpenAIAsking) -> OpenAIAsking.Refusal? {
        provider == .openai ? OpenAIChatRequest.refusal(error, asked: asked) : nil
    }

    /// The answer value as the tools expect it: checked against the schema when the server could
    /// not enforce it, and unwrapped when a non-object root was wrapped for strict mode. Returns
    /// the problem instead when it does not fit.
    func answerValue(_ value: JSONValue, schema: @autoclosure () -> JSONValue?,
                     mode: StructuredOutputMode) -> Result<JSONValue, SchemaMismatch> {
        guard provider == .openai, let schema = schema() else { return .success(value) }
        let (strict, wrapped) = JSONSchemaConversion.strict(schema)
        if mode == .jsonObject, let problem = JSONSchemaValidator.problem(value, schema: strict) {
            return .failure(SchemaMismatch(description: problem))
        }
        return .success(wrapped ? value[JSONSchemaConversion.wrapperKey] ?? value : value)
    }

    struct SchemaMismatch: Error, CustomStringConvertible {
        var description: String
    }

    private func post(_ url: String, _ body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, headers: endpoint.headers, body: body)
    }
}
