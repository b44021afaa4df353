// MatchSummary: the pre-download analysis s3ls prints, as the reference tool does: how many
// names were listed, found, missing (the first ten named), ambiguous, and the bytes to fetch.

/// Counts of one s3ls run.
public struct MatchSummary: Sendable {
    /// Names matched (each has its own id).
    public var listed = 0
    /// Names whose id an earlier name took (the same name listed twice): duplicate_id records.
    public var duplicates = 0
    public var found = 0
    public var missing = 0
    public var missingExamples: [String] = []
    public var ambiguous = 0
    public var extensionMismatches = 0
    public var bytes = 0
    /// Found objects in GLACIER or DEEP_ARCHIVE.
    public var archived = 0

    public init() {}

    /// Counts one listed name and what it matched.
    public mutating func add(name: String, match: NameMatch?) {
        guard let match else {
            missing += 1
            if missingExamples.count < 10 { missingExamples.append(name) }
            return
        }
        found += 1
        bytes += match.object.size
        if !match.alternatives.isEmpty { ambiguous += 1 }
        if match.object.isArchived { archived += 1 }
        if match.object.fileName != name[...] { extensionMismatches += 1 }
    }

    /// `listed 2100, found 2000 (400 by stem), missing 100 (first 10: …), ambiguous 3, 812.4 MB to fetch`
    public func line(formatBytes: (Int) -> String) -> String {
        var text = "listed \(listed)"
        if duplicates > 0 { text += " (+\(duplicates) listed twice: duplicate_id error records)" }
        text += ", found \(found)"
        if extensionMismatches > 0 { text += " (\(extensionMismatches) under another extension)" }
        text += ", missing \(missing)"
        if !missingExamples.isEmpty {
            text += " (first \(missingExamples.count): \(missingExamples.joined(separator: ", ")))"
        }
        text += ", ambiguous \(ambiguous)"
        if archived > 0 { text += ", \(archived) archived, not downloadable without a restore" }
        text += ", \(formatBytes(bytes)) total"
        return text
    }
}
