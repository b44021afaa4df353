// ProviderSettings: where the model API of a run is and which wire format it speaks — Gemini
// (the default) or an OpenAI-compatible server — resolved as DESIGN.md says: flags >
// environment > config.yaml > defaults. An OpenAI-compatible server's key comes from
// OPENAI_API_KEY (or openai_api_key in config.yaml), never from argv, and is optional when the
// server needs none (a local or LAN GPU server).
import Gemini
import HTTP
import Logging
import ToolSupport

enum ProviderSettings {
    /// `--provider`, else config `provider:`, else gemini.
    static func provider(flag: ModelProvider?, config: ToolConfig) throws -> ModelProvider {
        if let flag { return flag }
        guard let text = config.string("provider") else { return .gemini }
        guard let provider = ModelProvider(rawValue: text) else {
            let known = ModelProvider.allCases.map(\.rawValue).joined(separator: ", ")
            throw ToolError("\(config.path ?? "config"): provider: '\(text)' is not one of \(known)")
        }
        return provider
    }

    /// The endpoint of an OpenAI-compatible server: `--base-url`, else OPENAI_BASE_URL, else
    /// config openai.base_url (there is no default: the server is the user's).
    static func openAIEndpoint(baseURLFlag: String?, config: ToolConfig, requireKey: Bool, logger: Logger) throws -> GeminiEndpoint {
        let base = try config.resolve(flag: baseURLFlag, environment: ["OPENAI_BASE_URL"], key: "openai.base_url", default: "")
        guard !base.isEmpty else {
            throw ToolError.usage("--provider openai needs the server's base URL: --base-url (e.g. http://127.0.0.1:8000/v1), OPENAI_BASE_URL or openai.base_url in config.yaml")
        }
        let key = environmentValue("OPENAI_API_KEY") ?? config.string("openai_api_key")
        let url: EndpointURL
        do {
            url = try EndpointURL(base)
        } catch {
            throw ToolError("OpenAI-compatible base URL (--base-url, OPENAI_BASE_URL or openai.base_url): \(error)")
        }
        // A server without a key (vLLM, Ollama, llama.cpp, LM Studio on this machine or on a GPU
        // box of the LAN) may be reached over plain http: nothing secret travels. A key only
        // goes over https or to loopback (GeminiEndpoint); a server that wants one answers 401.
        if requireKey, key == nil, !url.isLoopback {
            logger.notice("no OPENAI_API_KEY: calling \(url.authority) without a key")
        }
        do {
            return try GeminiEndpoint(baseURL: base, apiKey: key ?? "", provider: .openai)
        } catch {
            // The only refusal a working URL meets here is the key's rule: say how to go keyless.
            let hint = key != nil && !url.carriesSecretsSafely ? " (a server that needs no key may use plain http: unset OPENAI_API_KEY)" : ""
            throw ToolError("OpenAI-compatible base URL (--base-url, OPENAI_BASE_URL or openai.base_url): \(error)\(hint)")
        }
    }
}
