// GeminiModel: what the tools need to know about a model id — its generation (image-token
// rule, thinking) — with unknown ids handled by prefix. Prices are GeminiStage's PriceTable's.

/// Facts about a Gemini model id used for estimates and cost.
public struct GeminiModel: Sendable, Equatable {
    public enum Generation: Sendable, Equatable {
        /// 2.0 / 2.5: 258 tokens per image ≤ 384 px, else 258 per 768×768 tile.
        case gemini2
        /// 3.x: a flat number of tokens per image set by the media resolution.
        case gemini3
    }

    public var id: String
    public var generation: Generation
    /// Thinks by default (then send thinkingBudget 0 for captioning where allowed).
    public var thinksByDefault: Bool

    public init(id: String) {
        self.id = id
        generation = id.hasPrefix("gemini-3") ? .gemini3 : .gemini2
        thinksByDefault = !(id.contains("flash-lite")) && (id.hasPrefix("gemini-2.5") || id.hasPrefix("gemini-3"))
    }

    /// Whether thinking can be switched off with thinkingBudget 0 (2.5 Flash and Flash-Lite).
    public var canDisableThinkingWithBudget: Bool {
        id.hasPrefix("gemini-2.5-flash")
    }
}

/// Token counts of one call or a whole run, and their cost.
public struct TokenUsage: Sendable, Equatable {
    public var inputTokens = 0
    public var outputTokens = 0
    public var thoughtsTokens = 0

    public init(inputTokens: Int = 0, outputTokens: Int = 0, thoughtsTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.thoughtsTokens = thoughtsTokens
    }

    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
        lhs.inputTokens += rhs.inputTokens
        lhs.outputTokens += rhs.outputTokens
        lhs.thoughtsTokens += rhs.thoughtsTokens
    }

    /// USD at the given prices per million tokens; thinking tokens are billed as output.
    public func cost(inputPrice: Double, outputPrice: Double) -> Double {
        (Double(inputTokens) * inputPrice + Double(outputTokens + thoughtsTokens) * outputPrice) / 1_000_000
    }
}
