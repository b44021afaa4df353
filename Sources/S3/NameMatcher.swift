// NameMatcher: finds listed file names among the objects of a listing, by exact file name or
// by stem across extensions (`x.jpg` listed finds `x.png`). It holds the list, never the
// bucket: each listed object is looked up as it streams past and kept only if it matches.
import Records

/// The object chosen for a listed name.
public struct NameMatch: Sendable, Equatable {
    public var object: S3Object
    /// The other objects that matched the same name (the name is ambiguous when not empty).
    public var alternatives: [S3Object]
}

/// Matches listed names against listed objects.
public final class NameMatcher {
    public let ignoreCase: Bool
    /// Extensions in order of preference (lowercase, no dot) for ambiguous names.
    public let preferredExtensions: [String]
    public private(set) var names: [String] = []
    // Keyed by a 128-bit hash of the stem, not the text: a million names then cost one String
    // each (in `names`), not two.
    private var firstWithStem: [StableHash: Int32] = [:]
    private var nextWithSameStem: [Int32] = []
    private var candidates: [Int32: [S3Object]] = [:]

    public init(ignoreCase: Bool, preferredExtensions: [String]) {
        self.ignoreCase = ignoreCase
        self.preferredExtensions = preferredExtensions.map { $0.lowercased() }
    }

    public var count: Int { names.count }

    /// Adds a listed name; returns its index. Every listed name gets its own index, also one
    /// that equals an earlier name but for case (each has its own id and record).
    @discardableResult
    public func add(_ name: String) -> Int {
        let normalized = ignoreCase ? name.lowercased() : name
        let index = Int32(names.count)
        names.append(name)
        let stem = StableHash(String(IDAssigner.stem(normalized[...])))
        nextWithSameStem.append(firstWithStem[stem] ?? -1)
        firstWithStem[stem] = index
        return Int(index)
    }

    /// Looks at one listed object; keeps it for every listed name it matches.
    public func consider(_ object: S3Object) {
        let fileName = object.fileName
        guard !fileName.isEmpty else { return }
        let stem = StableHash(String(IDAssigner.stem(ignoreCase ? normalize(fileName)[...] : fileName)))
        guard var index = firstWithStem[stem] else { return }
        while index >= 0 {
            candidates[index, default: []].append(object)
            index = nextWithSameStem[Int(index)]
        }
    }

    /// The object chosen for listed name `index`, or nil when nothing matched.
    public func match(for index: Int) -> NameMatch? {
        guard let found = candidates[Int32(index)], !found.isEmpty else { return nil }
        let listed = normalize(names[index][...])
        let ranked = found.sorted { a, b in
            let ra = rank(a, listed: listed), rb = rank(b, listed: listed)
            if ra.preference != rb.preference { return ra.preference < rb.preference }
            if ra.exact != rb.exact { return ra.exact }
            return a.key < b.key
        }
        return NameMatch(object: ranked[0], alternatives: Array(ranked.dropFirst()))
    }

    private func rank(_ object: S3Object, listed: String) -> (preference: Int, exact: Bool) {
        let ext = NameList.fileExtension(object.fileName)
        let preference = preferredExtensions.firstIndex(of: ext) ?? preferredExtensions.count
        return (preference, normalize(object.fileName) == listed)
    }

    private func normalize(_ name: Substring) -> String {
        ignoreCase ? name.lowercased() : String(name)
    }
}
