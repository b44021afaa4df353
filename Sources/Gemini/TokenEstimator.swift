// TokenEstimator: input-token estimates before any call (for --dry-run and the TPM limiter).
// Real counts come from each response's usageMetadata; these only have to be close.

public enum MediaResolution: String, Sendable, CaseIterable {
    case low, medium, high

    /// The API's enum value for generationConfig.mediaResolution.
    public var apiValue: String { "MEDIA_RESOLUTION_\(rawValue.uppercased())" }
}

public enum TokenEstimator {
    /// Image tokens and the rule that gave them (named in the dry run, since the rules differ
    /// between model generations).
    public static func imageTokens(width: Int, height: Int, model: GeminiModel,
                                   mediaResolution: MediaResolution? = nil) -> (tokens: Int, rule: String) {
        switch (model.generation, mediaResolution) {
        case (.gemini2, .low?): return (64, "2.x media resolution LOW: 64 tokens per image")
        case (.gemini2, .medium?): return (256, "2.x media resolution MEDIUM: 256 tokens per image")
        case (.gemini3, .low?): return (280, "3.x media resolution LOW: 280 tokens per image")
        case (.gemini3, .medium?): return (560, "3.x media resolution MEDIUM: 560 tokens per image")
        case (.gemini3, _): return (1120, "3.x media resolution HIGH (default): 1120 tokens per image")
        case (.gemini2, _):
            if width <= 384 && height <= 384 { return (258, "2.x: 258 tokens for an image with both sides ≤ 384 px") }
            let scale = min(1.0, 3072.0 / Double(max(width, height, 1)))
            let across = Int((Double(width) * scale / 768).rounded(.up))
            let down = Int((Double(height) * scale / 768).rounded(.up))
            return (258 * max(1, across) * max(1, down), "2.x: 258 tokens per 768×768 tile")
        }
    }

    /// Text tokens: about four characters per token for English prose.
    public static func textTokens(_ text: String) -> Int {
        text.isEmpty ? 0 : (text.utf8.count + 3) / 4
    }
}
