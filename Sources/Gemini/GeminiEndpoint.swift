// GeminiEndpoint: where the API is, which wire format it speaks, and the key that goes with it
// (in a header, never the URL).
import HTTP

/// Where and how to call the API. The key travels in the x-goog-api-key header only (Gemini),
/// or as `Authorization: Bearer` (OpenAI-compatible servers; none when there is no key).
public struct GeminiEndpoint: Sendable {
    public static let googleBaseURL = "https://generativelanguage.googleapis.com"

    public var baseURL: String
    public var apiKey: String
    public var apiVersion: String
    public var provider: ModelProvider

    /// Throws when the key could travel in clear text to `baseURL` (see EndpointURL.forSecrets).
    /// For `.openai`, `baseURL` includes the version path (`http://127.0.0.1:8000/v1`); without a
    /// key nothing secret is sent, so plain http to a server of the LAN is allowed.
    public init(baseURL: String = googleBaseURL, apiKey: String, apiVersion: String = "v1beta",
                provider: ModelProvider = .gemini) throws(EndpointURLError) {
        let keyless = provider == .openai && apiKey.isEmpty
        var base = try (keyless ? EndpointURL(baseURL) : EndpointURL.forSecrets(baseURL)).normalized
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.provider = provider
    }

    /// Checks a URL from an answer (the Files API's upload URL) before the key goes there: it
    /// must pass the same rule and name the same server as the base URL.
    func checkedURL(fromAnswer text: String) throws -> String {
        do {
            let url = try EndpointURL.forSecrets(text)
            let base = try EndpointURL(baseURL)
            guard url.scheme == base.scheme, url.authority == base.authority else {
                throw EndpointURLError(url: text, reason: "not on the server of the base URL")
            }
            return url.normalized
        } catch {
            throw GeminiBatchError(description: "refusing the server's upload URL: \(error)", stopsRun: true)
        }
    }

    func url(model: String, method: String? = nil) -> String {
        "\(baseURL)/\(apiVersion)/models/\(model)" + (method.map { ":" + $0 } ?? "")
    }

    /// An OpenAI-compatible path under the base URL (`chat/completions`, `embeddings`, `models`).
    func url(openAIPath path: String) -> String {
        "\(baseURL)/\(path)"
    }

    var headers: [HTTPHeader] {
        var headers: [HTTPHeader]
        switch provider {
        case .gemini:
            headers = [HTTPHeader("x-goog-api-key", apiKey)]
        case .openai:
            // A local server needs no key; then no Authorization header goes at all.
            headers = apiKey.isEmpty ? [] : [HTTPHeader("Authorization", "Bearer " + apiKey)]
        }
        return headers + [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Expect", "")]
    }
}
