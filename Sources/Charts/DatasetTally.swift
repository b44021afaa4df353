// DatasetTally: what plotdist keeps of one dataset — images, failures, category counts, and
// (for the HTML report) each image's id, path and categories.

/// One usable image of a dataset.
public struct ImageEntry: Sendable, Equatable {
    public var id: String
    /// The image file (`image.path`, else `path`), when the records name one.
    public var path: String?
    public var categories: [String]

    public init(id: String, path: String?, categories: [String]) {
        self.id = id
        self.path = path
        self.categories = categories
    }
}

/// Counts of one dataset.
public struct DatasetTally: Sendable, Equatable {
    public var name: String
    /// Images without an error; the denominator of every percentage.
    public var images = 0
    /// Records with an error (or unusable lines): counted, shown, left out of percentages.
    public var failed = 0
    /// Images carrying each category (an image with two categories counts in both).
    public var counts: [String: Int] = [:]
    /// The usable images in input order, when the collector keeps them.
    public var entries: [ImageEntry] = []
    /// Images whose description or categories came from the Gemini emulator (`emulated: true`).
    public var emulated = 0
    /// Records without the compared field (`--field`): counted here, left out of the percentages.
    public var missing = 0
    /// Occurrences of each value, repeats within an image included (keywords: term occurrences,
    /// the reference's unit for the keyword lift); nil when only images are counted.
    public var occurrences: [String: Int]?

    public init(name: String) {
        self.name = name
    }

    /// Category assignments in total (the sum of `counts`).
    public var assignments: Int { counts.values.reduce(0, +) }

    public func count(of category: String) -> Int { counts[category] ?? 0 }

    /// Adds one usable image; a category repeated within the image counts once in `counts`
    /// (and every time in `occurrences`, when they are kept).
    public mutating func add(_ entry: ImageEntry, keep: Bool, countOccurrences: Bool = false) {
        images += 1
        let categories = entry.categories.uniqued()
        for category in categories { counts[category, default: 0] += 1 }
        if countOccurrences {
            if occurrences == nil { occurrences = [:] }
            for value in entry.categories { occurrences![value, default: 0] += 1 }
        }
        if keep { entries.append(ImageEntry(id: entry.id, path: entry.path, categories: categories)) }
    }

    /// The occurrences of `value` when they are kept, else its image count.
    public func occurrenceCount(of value: String) -> Int {
        guard let occurrences else { return count(of: value) }
        return occurrences[value] ?? 0
    }

    /// All occurrences when they are kept, else all assignments.
    public var totalOccurrences: Int { occurrences.map { $0.values.reduce(0, +) } ?? assignments }
}

extension Array where Element == String {
    /// The elements in order without repeats.
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
