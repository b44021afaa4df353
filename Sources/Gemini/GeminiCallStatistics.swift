// GeminiCallStatistics: what a GeminiClient spent, for the summary line and the benchmarks.

/// Counters of a client's run, for the summary and benchmarks.
public struct GeminiCallStatistics: Sendable {
    public var requests = 0
    public var rateLimited = 0
    public var retries = 0
    public var usage = TokenUsage()
    /// Texts that came back with a vector (batchEmbedContents).
    public var embeddedTexts = 0
}
