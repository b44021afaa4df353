// GeminiSettings: the API key, endpoint, model and limits of a run, resolved as DESIGN.md says:
// flags > environment > config.yaml > defaults. The key is never taken from argv, never printed.
import Gemini
import HTTP
import Logging
import ToolSupport

public struct GeminiSettings {
    public var endpoint: GeminiEndpoint
    public var model: GeminiModel
    public var concurrency: Int
    public var pacer: RequestPacer
    public var retryPolicy: RetryPolicy
    /// USD per 1M tokens and where that came from (PriceTable); nil: unknown.
    public var price: ResolvedPrice?
    /// False with --no-model-check: the tools skip ModelCheck at start.
    public var checksModel: Bool
    /// Gemini, or an OpenAI-compatible server (the endpoint's wire format).
    public var provider: ModelProvider { endpoint.provider }

    /// Flags a tool passes in (nil when not given on the command line).
    public struct Flags {
        public var model: String?
        public var baseURL: String?
        public var concurrency: Int
        public var rpm: Int?
        public var tpm: Int?
        public var priceInput: Double?
        public var priceOutput: Double?
        public var requireKey: Bool
        public var checkModel: Bool
        public var provider: ModelProvider?

        public init(model: String?, baseURL: String?, concurrency: Int, rpm: Int?, tpm: Int?,
                    priceInput: Double?, priceOutput: Double?, requireKey: Bool, checkModel: Bool = true,
                    provider: ModelProvider? = nil) {
            self.model = model
            self.baseURL = baseURL
            self.concurrency = concurrency
            self.rpm = rpm
            self.tpm = tpm
            self.priceInput = priceInput
            self.priceOutput = priceOutput
            self.requireKey = requireKey
            self.checkModel = checkModel
            self.provider = provider
        }
    }

    /// The key as the official SDKs read it: GOOGLE_API_KEY wins over GEMINI_API_KEY, then the
    /// config file's gemini_api_key.
    public static func apiKey(config: ToolConfig, logger: Logger) -> String? {
        let google = environmentValue("GOOGLE_API_KEY")
        let gemini = environmentValue("GEMINI_API_KEY")
        if google != nil, gemini != nil {
            logger.info("both GOOGLE_API_KEY and GEMINI_API_KEY are set; using GOOGLE_API_KEY")
        }
        return google ?? gemini ?? config.string("gemini_api_key")
    }

    /// `modelKey` names the config key of the model; without it set, `defaultModel` (nil: the
    /// caption model, then gemini-2.5-flash-lite).
    public init(flags: Flags, config: ToolConfig, logger: Logger, modelKey: String = "caption_model",
                defaultModel: String? = nil) throws {
        if try ProviderSettings.provider(flag: flags.provider, config: config) == .openai {
            endpoint = try ProviderSettings.openAIEndpoint(baseURLFlag: flags.baseURL, config: config, requireKey: flags.requireKey, logger: logger)
        } else {
            endpoint = try Self.geminiEndpoint(flags: flags, config: config, logger: logger)
        }
        let modelID = flags.model ?? config.string(modelKey) ?? defaultModel ?? config.string("caption_model") ?? "gemini-2.5-flash-lite"
        model = GeminiModel(id: modelID)
        guard flags.concurrency >= 1 else { throw ToolError.usage("--concurrency must be at least 1") }
        concurrency = flags.concurrency
        let rpm = try config.resolve(flag: flags.rpm, key: "gemini.rpm", default: 0)
        let tpm = try config.resolve(flag: flags.tpm, key: "gemini.tpm", default: 0)
        let sleep = config.double("processing.per_request_sleep_seconds") ?? 0
        pacer = RequestPacer(requestsPerMinute: rpm > 0 ? rpm : nil, tokensPerMinute: tpm > 0 ? tpm : nil, minimumInterval: sleep)
        let retries = config.int("processing.max_retries") ?? 5
        let backoff = config.double("processing.retry_backoff_seconds") ?? 1
        retryPolicy = RetryPolicy(maximumRetries: retries, baseDelay: backoff, maximumDelay: 60)
        price = try PriceTable(config: config).price(model: modelID, baseURL: endpoint.baseURL,
                                                     flagInput: flags.priceInput, flagOutput: flags.priceOutput)
        checksModel = flags.checkModel
    }

    /// Google's endpoint (or a Gemini gateway) with the key from GOOGLE_API_KEY / GEMINI_API_KEY.
    static func geminiEndpoint(flags: Flags, config: ToolConfig, logger: Logger) throws -> GeminiEndpoint {
        let key = Self.apiKey(config: config, logger: logger)
        if flags.requireKey, key == nil {
            throw ToolError("no API key: set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment, or gemini_api_key in config.yaml")
        }
        let base = try config.resolve(flag: flags.baseURL, environment: ["GOOGLE_GEMINI_BASE_URL"], key: "gemini.base_url",
                                      default: GeminiEndpoint.googleBaseURL)
        do {
            return try GeminiEndpoint(baseURL: base, apiKey: key ?? "")
        } catch {
            throw ToolError("Gemini base URL (--base-url, GOOGLE_GEMINI_BASE_URL or gemini.base_url): \(error)")
        }
    }

    /// "cost $0.0413 at $0.10/$0.40 per 1M input/output tokens (built-in gemini-2.5-flash-lite)",
    /// at the batch discount with `batchMode`, or a note that the price is unknown.
    public func costText(_ usage: TokenUsage, batchMode: Bool = false) -> String {
        PriceTable.costText(price, model: model.id, usage: usage, batchMode: batchMode)
    }

    /// The summary of a Batch Mode run of generateContent calls (describe, categorize).
    public func batchSummary(_ usage: TokenUsage) -> String {
        "tokens \(usage.inputTokens) in / \(usage.outputTokens) out; Batch Mode: \(costText(usage, batchMode: true))"
    }
}
