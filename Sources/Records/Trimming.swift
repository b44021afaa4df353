// Trimming: characters cut from both ends of a text, one definition for every module (settings
// files, CSV cells, flag lists) instead of one per parser.

extension StringProtocol {
    /// The text without the leading and trailing characters that occur in `characters`.
    public func trimming(_ characters: String) -> String {
        guard let first = firstIndex(where: { !characters.contains($0) }),
              let last = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
