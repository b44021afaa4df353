// EmbeddingModel: what the embed tool needs to know about an embedding model id — its full
// vector size (below it, vectors are truncated and must be normalised again), and
// whether Google has retired it (then the model check names the replacement).

/// Facts about a Gemini embedding model id (gemini-api.md §5.4).
public struct EmbeddingModel: Sendable, Equatable {
    public var id: String
    /// Dimensions of an untruncated vector; nil for an id not known here.
    public var fullDimensions: Int?
    /// Set for a retired model: the id to use instead.
    public var replacement: String?
    /// When it was retired, as Google announced it.
    public var retiredOn: String?

    public static let defaultID = "gemini-embedding-001"

    public init(id: String) {
        self.id = id
        switch id {
        case "gemini-embedding-001":
            fullDimensions = 3072
        case "text-embedding-004":
            fullDimensions = 768
            replacement = Self.defaultID
            retiredOn = "2026-01-14"
        case "embedding-001":
            fullDimensions = 768
            replacement = Self.defaultID
            retiredOn = "2025-08-14"
        default:
            break
        }
    }

    /// The vector size asked for: `requested`, else the model's full size (nil: the API's default).
    public func dimensions(requested: Int?) -> Int? { requested ?? fullDimensions }

    /// Whether vectors of `dimensions` values are cut from longer ones and so no longer unit length.
    public func isTruncated(dimensions: Int?) -> Bool {
        guard let dimensions else { return false }
        return dimensions < (fullDimensions ?? Int.max)
    }

    /// "… is retired (since 2026-01-14); use gemini-embedding-001 instead", or nil.
    public var retirementNote: String? {
        guard let replacement else { return nil }
        return "'\(id)' is retired\(retiredOn.map { " (since \($0))" } ?? ""); use \(replacement) instead (--model \(replacement) or embedding_model: \(replacement) in config.yaml)"
    }
}
