// OpenAIEmbeddings: a BatchEmbedRequest as an OpenAI-compatible `POST /embeddings` body
// (`input` holds the texts, `dimensions` when asked for), and its answer's vectors put back in
// request order by each item's `index`, with the token count the server reports.
import Records

enum OpenAIEmbeddings {
    static func json(_ request: BatchEmbedRequest) -> JSONValue {
        var body: JSONObject = ["model": .string(request.model.id), "input": .array(request.texts.map { .string($0) }),
                                "encoding_format": "float"]
        if let dimensions = request.dimensions { body["dimensions"] = .int(dimensions) }
        return .object(body)
    }

    static func bodyBytes(_ request: BatchEmbedRequest) -> [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.append(json(request), to: &out)
        return out
    }

    /// The checked vectors and the server's `usage.prompt_tokens` (nil when it reports none).
    static func response(_ bytes: [UInt8], request: BatchEmbedRequest) throws(BatchEmbedResponse.Problem) -> (BatchEmbedResponse, Int?) {
        guard let json = try? JSONParser.parse(bytes) else { throw BatchEmbedResponse.Problem(description: "the answer was not JSON") }
        return try response(json: json, request: request)
    }

    static func response(json: JSONValue, request: BatchEmbedRequest) throws(BatchEmbedResponse.Problem) -> (BatchEmbedResponse, Int?) {
        guard let data = json["data"]?.arrayValue else { throw BatchEmbedResponse.Problem(description: "the answer has no data") }
        var vectors = [[Float]?](repeating: nil, count: request.texts.count)
        for (position, item) in data.enumerated() {
            let index = item["index"]?.intValue ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw BatchEmbedResponse.Problem(description: "embedding index \(index) is out of range or repeated")
            }
            var vector: [Float] = []
            for (i, value) in (item["embedding"]?.arrayValue ?? []).enumerated() {
                guard let number = value.doubleValue else {
                    throw BatchEmbedResponse.Problem(description: "embedding \(index) value \(i) is not a finite number")
                }
                vector.append(Float(number))
            }
            vectors[index] = vector
        }
        guard let missing = vectors.firstIndex(where: { $0 == nil }) else {
            let response = try BatchEmbedResponse(vectors: vectors.compactMap { $0 }, request: request,
                                                  emulated: json["emulator"]?.boolValue == true)
            return (response, json["usage"]?["prompt_tokens"]?.intValue)
        }
        throw BatchEmbedResponse.Problem(description: "\(data.count) embeddings for \(request.texts.count) texts (none for text \(missing))")
    }
}
