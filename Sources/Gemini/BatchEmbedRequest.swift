// BatchEmbedRequest: the JSON body of a batchEmbedContents call (gemini-api.md §5.3): up to
// 100 texts, each its own EmbedContentRequest naming the same model as the URL.
import Records

public struct BatchEmbedRequest: Sendable {
    /// The most requests one batchEmbedContents call takes.
    public static let maximumTexts = 100

    public var model: EmbeddingModel
    public var texts: [String]
    public var taskType: EmbeddingTaskType
    /// outputDimensionality; nil: the model's full size.
    public var dimensions: Int?

    public init(model: EmbeddingModel, texts: [String], taskType: EmbeddingTaskType = .clustering, dimensions: Int? = nil) {
        precondition(texts.count <= Self.maximumTexts, "batchEmbedContents takes at most \(Self.maximumTexts) texts")
        self.model = model
        self.texts = texts
        self.taskType = taskType
        self.dimensions = dimensions
    }

    /// The request body.
    public var json: JSONValue {
        ["requests": .array(texts.map { request(for: $0) })]
    }

    /// One text's EmbedContentRequest; `namingModel` false leaves out `model` (a Batch Mode
    /// job names it in its URL, and the official SDK sends none there).
    public func request(for text: String, namingModel: Bool = true) -> JSONValue {
        var request: JSONObject = [:]
        if namingModel { request["model"] = .string("models/\(model.id)") }
        request["content"] = ["parts": [["text": .string(text)]]]
        request["taskType"] = .string(taskType.rawValue)
        if let dimensions { request["outputDimensionality"] = .int(dimensions) }
        return .object(request)
    }

    /// The body as bytes, ready to send.
    public var bodyBytes: [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.append(json, to: &out)
        return out
    }

    /// Input tokens at about four characters a token (the API reports no usage for embeddings).
    public var estimatedInputTokens: Int {
        texts.reduce(0) { $0 + TokenEstimator.textTokens($1) }
    }
}
