// ModelCheck: at start, ask the API whether the model exists (GET /v1beta/models/{model}), so
// a retired or misspelled model fails at once with the list of models, not after thousands of
// 404s; a refused key fails here too. A gateway may serve generateContent but neither the
// lookup nor the list: then one real (tiny) request decides (--no-model-check skips it all).
// An OpenAI-compatible server is asked for its list (GET {base}/models) instead.
import HTTP
import Posix
import Records

public enum ModelCheck {
    /// Why the run cannot start.
    public struct Failure: UserFacingError, CustomStringConvertible, Sendable {
        public var description: String
        public var message: String { description }
    }

    /// Returns the model resource (inputTokenLimit, outputTokenLimit, ...). A 404 names the
    /// models that support `method`, or `retirementNote` (the replacement of a retired model).
    @discardableResult
    public static func check(endpoint: GeminiEndpoint, model: String, method: String = "generateContent",
                             retirementNote: String? = nil) throws(Failure) -> JSONValue {
        if endpoint.provider == .openai { return try checkOpenAI(endpoint: endpoint, model: model) }
        let (status, body) = try get(endpoint.url(model: model), endpoint: endpoint)
        if status == 200, let value = try? JSONParser.parse(body) { return value }
        let error = GeminiAPIError(httpStatus: status, body: body)
        if status == 404 {
            if let retirementNote {
                throw Failure(description: "model \(retirementNote) (\(endpoint.baseURL) answered: \(error.message))")
            }
            guard let available = try availableModels(endpoint: endpoint, method: method) else {
                return try probe(endpoint: endpoint, model: model, method: method, lookup: error)
            }
            let list = available.isEmpty ? "" : "; available: " + available.joined(separator: ", ")
            throw Failure(description: "model '\(model)' is not available at \(endpoint.baseURL) (\(error.message))\(list)")
        }
        if case .stopRun(let message) = error.disposition { throw Failure(description: message) }
        throw Failure(description: "checking model '\(model)' failed: \(error)")
    }

    /// An OpenAI-compatible server's model list: the model must be on it (Ollama's `name:latest`
    /// answers for `name`). A server without the list (404, an HTML page) is not refused: its
    /// first real call decides, as many gateways serve completions only.
    static func checkOpenAI(endpoint: GeminiEndpoint, model: String) throws(Failure) -> JSONValue {
        let (status, body) = try get(endpoint.url(openAIPath: "models"), endpoint: endpoint)
        if status == 200, let value = try? JSONParser.parse(body), let list = value["data"]?.arrayValue {
            let ids = list.compactMap { $0["id"]?.stringValue }
            if let entry = list.first(where: { [model, model + ":latest", "models/" + model].contains($0["id"]?.stringValue ?? "") }) {
                return entry
            }
            let names = ids.isEmpty ? "" : "; available: " + ids.joined(separator: ", ")
            throw Failure(description: "model '\(model)' is not available at \(endpoint.baseURL)\(names)")
        }
        let error = GeminiAPIError(httpStatus: status, body: body, keyVariables: endpoint.provider.keyVariables)
        if [401, 402, 403].contains(status), case .stopRun(let message) = error.disposition { throw Failure(description: message) }
        return .object([:])
    }

    /// Neither lookup nor list: one real request with a one-word text; an answer means the model
    /// is served (its resource is unknown: an empty object is returned).
    static func probe(endpoint: GeminiEndpoint, model: String, method: String, lookup: GeminiAPIError) throws(Failure) -> JSONValue {
        let text: JSONValue = ["parts": [["text": "OK"]]]
        let body: JSONValue = method == "embedContent" ? ["content": text]
            : ["contents": [text], "generationConfig": ["maxOutputTokens": 16]]
        let (status, answer) = try send(HTTPRequest(method: "POST", url: endpoint.url(model: model, method: method),
                                                    headers: endpoint.headers, body: Array(JSONSerializer.string(body).utf8)),
                                        endpoint: endpoint)
        if (200..<300).contains(status) { return .object([:]) }
        let error = GeminiAPIError(httpStatus: status, body: answer)
        if status != 404, case .stopRun(let message) = error.disposition { throw Failure(description: message) }
        throw Failure(description: "model '\(model)' is not available at \(endpoint.baseURL): neither GET models/\(model) (\(lookup.message)) "
                                 + "nor the model list answered, and a test \(method) request failed (\(error.message)); "
                                 + "give --no-model-check to skip the check")
    }

    /// Model ids the key can use for `method` (generateContent, embedContent); nil when the list
    /// is not served (not 200 JSON).
    public static func availableModels(endpoint: GeminiEndpoint, method: String = "generateContent") throws(Failure) -> [String]? {
        let (status, body) = try get("\(endpoint.baseURL)/\(endpoint.apiVersion)/models?pageSize=1000", endpoint: endpoint)
        guard status == 200, let value = try? JSONParser.parse(body) else { return nil }
        return (value["models"]?.arrayValue ?? []).compactMap { model -> String? in
            let methods = model["supportedGenerationMethods"]?.arrayValue?.compactMap(\.stringValue) ?? ["generateContent"]
            guard methods.contains(method), let name = model["name"]?.stringValue else { return nil }
            return name.hasPrefix("models/") ? String(name.dropFirst(7)) : name
        }
    }

    private static func get(_ url: String, endpoint: GeminiEndpoint) throws(Failure) -> (Int, [UInt8]) {
        try send(HTTPRequest(url: url, headers: endpoint.headers), endpoint: endpoint)
    }

    private static func send(_ request: HTTPRequest, endpoint: GeminiEndpoint) throws(Failure) -> (Int, [UInt8]) {
        let receiver = BufferingReceiver()
        let easy: EasyHandle
        do { easy = try EasyHandle() } catch { throw Failure(description: "\(error)") }
        easy.prepare(request, receiver: receiver, timeouts: HTTPTimeouts(connect: 10, lowSpeedBytes: 1, lowSpeedSeconds: 30))
        if let error = easy.perform() {
            throw Failure(description: "cannot reach \(endpoint.baseURL): \(error.message)")
        }
        return (easy.responseHead.status, receiver.bytes)
    }
}
