// IDAssigner: the record contract's id rule, and the memory of which ids a run has seen. An id
// is a listed name without its extension; a name whose stem an earlier name already has as its
// id gets its full name, so ids never change when a list grows. The same name given twice is a
// duplicate. A 16-byte hash per id and per name seen (in a HashSet128, 18–27 bytes each with
// its free slots), not the strings.

/// The outcome of giving a name its id.
public enum IDAssignment: Sendable, Equatable {
    /// The id is new in this run.
    case unique(String)
    /// The same name (path, key) was given before, or every candidate is taken: the record
    /// is a duplicate and carries its full name as its id.
    case duplicate(String)

    public var id: String {
        switch self {
        case .unique(let id), .duplicate(let id): return id
        }
    }
}

/// The id rule and the memory of ids taken, in memory (`IDAssigner`) or on disk
/// (`SpooledIDAssigner`, for lists of millions of names).
public protocol IDAssigning {
    /// Claims an id a record already carries; false when an earlier record claimed it.
    mutating func claim(_ id: String) throws -> Bool
    /// The id for a listed name by the contract's rule (see `IDAssigner.assign`).
    mutating func assign(name: String, fallbacks: [String]) throws -> IDAssignment
}

/// Gives ids to listed names and notices a second record with an id already seen.
public struct IDAssigner: IDAssigning, Sendable {
    public typealias Assignment = IDAssignment

    // A 128-bit hash per id (and per name given), not the text.
    private var taken = HashSet128()

    public init() {}

    /// How many ids (and sources) were claimed.
    public var count: Int { taken.count }

    /// Claims an id a record already carries; false when an earlier record claimed it.
    public mutating func claim(_ id: String) -> Bool {
        taken.insert(StableHash(id))
    }

    /// The id for a listed name: its stem (`x.jpg` → `x`), else the full name when an earlier
    /// record has that stem as its id, else each of `fallbacks` in turn (a path or key that is
    /// unique where the name is not). The same name (or, with fallbacks, the same last
    /// fallback) given twice is a duplicate. Claims the id it returns.
    public mutating func assign(name: String, fallbacks: [String] = []) -> Assignment {
        // The thing itself (the name, or the last fallback: a path, a key) seen before is the
        // same record listed again, whatever id its name would get now (`x.jpg` twice would
        // otherwise be `x`, then `x.jpg`). Kept apart from the ids by a prefix byte.
        let (source, candidates) = Self.candidates(name: name, fallbacks: fallbacks)
        if !taken.insert(StableHash("\u{1}" + source)) { return .duplicate(name) }
        for candidate in candidates where claim(candidate) { return .unique(candidate) }
        return .duplicate(name)
    }

    /// The thing a name stands for (its last fallback, else itself) and the ids it may get, in
    /// order: its stem, the full name, then each fallback.
    public static func candidates(name: String, fallbacks: [String]) -> (source: String, ids: [String]) {
        let stem = String(Self.stem(name[...]))
        var candidates = [stem]
        if name != stem { candidates.append(name) }
        for fallback in fallbacks where !candidates.contains(fallback) { candidates.append(fallback) }
        return (fallbacks.last ?? name, candidates)
    }

    /// The name without its last extension (`a.b.jpg` → `a.b`; `x` → `x`; `.hidden` → `.hidden`).
    public static func stem(_ name: Substring) -> Substring {
        // On the UTF-8 bytes: "." is ASCII, so its byte index is a character boundary.
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return name }
        return name[..<dot]
    }
}
