// GeminiModel: what the tools need to know about a model id — its generation (image-token
// rule, thinking) and its price — with unknown ids handled by prefix.

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
    /// USD per million input and output tokens (standard, paid tier; thinking billed as output).
    public var inputPrice: Double?
    public var outputPrice: Double?

    public init(id: String) {
        self.id = id
        generation = id.hasPrefix("gemini-3") ? .gemini3 : .gemini2
        thinksByDefault = !(id.contains("flash-lite")) && (id.hasPrefix("gemini-2.5") || id.hasPrefix("gemini-3"))
        switch id {
        case let m where m.hasPrefix("gemini-2.5-flash-lite"):
            inputPrice = 0.10
            outputPrice = 0.40
        case let m where m.hasPrefix("gemini-2.5-flash"):
            inputPrice = 0.30
            outputPrice = 2.50
        case let m where m.hasPrefix("gemini-2.5-pro"):
            inputPrice = 1.25
            outputPrice = 10.00
        default:
            inputPrice = nil
            outputPrice = nil
        }
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
