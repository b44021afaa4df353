// BatchWire: a batch job's request bodies and the reading of its answers, per provider, through
// the very encoding and decoding of the online calls (WireDialect), so a --batch record is the
// record the online run writes. A job's answer is final (no second try with a larger budget);
// lines an OpenAI-compatible server refused for their json_schema, max_tokens or temperature go again in
// a job asking the other way (`refusal`, OpenAIAsking), json_object answers checked against the schema as
// online.
import Records

public struct BatchWire: Sendable {
    let dialect: WireDialect
    /// How an OpenAI-compatible request is asked (Gemini: always its own way).
    public let asking: OpenAIAsking

    public init(endpoint: GeminiEndpoint, asking: OpenAIAsking = OpenAIAsking()) {
        dialect = WireDialect(endpoint: endpoint)
        self.asking = asking
    }

    /// What a failed line was refused for, when asking another way may be taken
    /// (OpenAIAsking.refusal of its error's words); nil for every other failure, and always for
    /// Gemini.
    public func refusal(_ result: BatchItemResult) -> OpenAIAsking.Refusal? {
        guard provider == .openai, case .failure(_, let message, _) = result else { return nil }
        return asking.refusal(message: message)
    }

    public var provider: ModelProvider { dialect.provider }

    /// The body of a generate call, as the online call sends it.
    public func body(_ request: GenerateContentRequest) -> JSONValue {
        switch provider {
        case .gemini: return request.json
        case .openai: return OpenAIChatRequest.json(request, asking: asking)
        }
    }

    /// The body of the embedding of `text` (`request` holds that one text).
    public func body(embedding request: BatchEmbedRequest, text: String) -> JSONValue {
        switch provider {
        case .gemini: return request.request(for: text, namingModel: false)
        case .openai: return OpenAIEmbeddings.json(request)
        }
    }

    /// A generate answer read as the online client reads it: the response (usage, finish) and
    /// its result, the value checked and unwrapped for `schema` as online.
    public func generateResult(_ body: JSONValue, schema: JSONValue?) -> (GenerateContentResponse, GeminiJobResult) {
        let response = dialect.generateResponse(body)
        let result = GeminiJobResult(batchAnswer: response)
        guard case .answer(let value, _, let attempts) = result else { return (response, result) }
        switch dialect.answerValue(value, schema: schema, mode: asking.structuredOutput) {
        case .success(let value):
            return (response, .answer(value: value, response: response, attempts: attempts))
        case .failure(let mismatch):
            return (response, .failure(code: "invalid_json", message: "the answer does not fit the schema (\(mismatch))", retryable: true,
                                       usage: response.usage, rawText: response.text))
        }
    }

    /// The vector of an embedding answer for `request` (one text), the tokens the server
    /// reports (nil: none) and whether the emulator answered.
    public func embedding(_ body: JSONValue, request: BatchEmbedRequest) throws(BatchEmbedResponse.Problem) -> (vector: [Float], tokens: Int?, emulated: Bool) {
        switch provider {
        case .gemini:
            let response = try BatchEmbedResponse(json: ["embeddings": [body["embedding"] ?? .null]], request: request)
            return (response.vectors[0], body["tokenCount"]?.intValue, body["emulator"]?.boolValue == true)
        case .openai:
            let (response, tokens) = try OpenAIEmbeddings.response(json: body, request: request)
            return (response.vectors[0], tokens, response.emulated)
        }
    }
}
