// ModelAPIOptions: the flags every tool that calls a model API shares (gemini-describe,
// categorize, embed): where the API is, its limits, the input price, and the dry run. Declared
// once so each means the same in every tool and a new model tool gets them by one line.
import ArgumentParser

public struct ModelAPIOptions: ParsableArguments, Sendable {
    @Option(help: "Requests per minute limit (config gemini.rpm).")
    public var rpm: Int?
    @Option(help: "Input tokens per minute limit (config gemini.tpm).")
    public var tpm: Int?
    @Option(help: "API endpoint (default: GOOGLE_GEMINI_BASE_URL, else Google's).")
    public var baseUrl: String?
    @Option(help: "Price in USD per 1M input tokens (default: the model's list price).")
    public var priceInput: Double?
    @Flag(help: "Make no call; print the estimated calls, tokens and cost.")
    public var dryRun = false

    public init() {}
}
