// NameMatcher: finds listed file names among the objects of a listing, by exact file name or
// by stem across extensions (`x.jpg` listed finds `x.png`). It keeps neither the list nor the
// bucket in memory: the names go to an unnamed spool file in list order, a sorted array of
// 64-bit hashes of their stems (8 bytes a stem, plus 8 for where its objects are) finds the
// objects that may match as the listing streams past, and those go to a second spool, chained
// per stem. Reading the names back in order, each name's chain is compared by the real stems,
// so a hash shared by two stems never matches the wrong object.
import Posix
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
    /// The 64-bit hash of a stem (tests pass a weak one to force collisions).
    public typealias Hash = (String) -> UInt64
    private let hash: Hash
    /// Each listed name, then its input record as JSON when it carries more than id and name.
    private let names: SpoolFile
    /// Each listed object whose stem hash is some name's: the previous object of its chain,
    /// then its fields.
    private let objects: SpoolFile
    /// Sorted distinct stem hashes of the names, once the list is read.
    private var stemHashes: [UInt64] = []
    /// Per stem hash: 1 + the spool offset of the last object seen with it, 0 for none.
    private var chainHeads: [UInt64] = []
    private var listRead = false
    public private(set) var count = 0

    /// Spool files go under `spoolDirectory` (unnamed: nothing is left there).
    public init(ignoreCase: Bool, preferredExtensions: [String], spoolDirectory: String,
                hash: @escaping Hash = { StableHash($0).low }) throws(SystemError) {
        self.ignoreCase = ignoreCase
        self.preferredExtensions = preferredExtensions.map { $0.lowercased() }
        self.hash = hash
        names = try SpoolFile(directory: spoolDirectory, prefix: "s3ls-names-")
        // Chains are read in list order, which need not be the listing's: small reads.
        objects = try SpoolFile(directory: spoolDirectory, prefix: "s3ls-objects-", windowSize: 4096)
    }

    /// Adds a listed name (and its input record, kept only when it carries more than
    /// `{id: stem, name}`). Every listed name has its own place, also one that equals an earlier
    /// name but for case (each has its own id and record).
    public func add(_ name: String, input: Record) throws {
        precondition(!listRead, "names are added before the listing")
        var record = SpoolRecord()
        record.string(name)
        record.string(Self.keepsInput(input, name: name) ? JSONSerializer.string(input) : "")
        try names.append(record.bytes)
        count += 1
    }

    /// Looks at one listed object; keeps it (on disk) when its stem may be a listed name's.
    public func consider(_ object: S3Object) throws {
        if !listRead { try finishList() }
        let fileName = object.fileName
        guard !fileName.isEmpty, let index = chainIndex(stemKey(fileName)) else { return }
        var record = SpoolRecord()
        record.varint(chainHeads[index])
        record.varint(UInt64(object.size))
        record.string(object.key)
        record.string(object.etag)
        record.string(object.lastModified)
        record.varint(object.storageClass == nil ? 0 : 1)
        if let storageClass = object.storageClass { record.string(storageClass) }
        chainHeads[index] = UInt64(try objects.append(record.bytes)) + 1
    }

    /// Calls `body` for every listed name in list order with its input record (nil when it was
    /// `{id: stem, name}`) and the object chosen for it (nil when nothing matched).
    public func forEachMatch(_ body: (_ name: String, _ input: Record?, _ match: NameMatch?) throws -> Void) throws {
        if !listRead { try finishList() }
        try objects.flush()
        var cursor = names.cursor(at: 0)
        while !cursor.atEnd {
            let name = try cursor.string()
            let json = try cursor.string()
            let input: Record? = json.isEmpty ? nil : try JSONParser.parse(json).objectValue
            try body(name, input, try match(for: name))
        }
    }

    /// The stem that matching compares: the name without its extension, lowercased with --ignore-case.
    private func stemKey(_ name: Substring) -> String {
        String(IDAssigner.stem(ignoreCase ? name.lowercased()[...] : name))
    }

    /// The list is read: the stems' hashes are sorted for lookups while the listing streams.
    private func finishList() throws {
        listRead = true
        try names.flush()
        var hashes: [UInt64] = []
        hashes.reserveCapacity(count)
        var cursor = names.cursor(at: 0)
        while !cursor.atEnd {
            hashes.append(hash(stemKey(try cursor.string()[...])))
            _ = try cursor.string()
        }
        hashes.sort()
        var distinct = 0
        for value in hashes where distinct == 0 || hashes[distinct - 1] != value {
            hashes[distinct] = value
            distinct += 1
        }
        hashes.removeLast(hashes.count - distinct)
        stemHashes = hashes
        chainHeads = [UInt64](repeating: 0, count: distinct)
    }

    private func chainIndex(_ stem: String) -> Int? {
        let value = hash(stem)
        var low = 0, high = stemHashes.count
        while low < high {
            let middle = (low + high) / 2
            if stemHashes[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < stemHashes.count && stemHashes[low] == value ? low : nil
    }

    /// The object chosen for a listed name among those of its stem, or nil when none matched.
    private func match(for name: String) throws -> NameMatch? {
        let stem = stemKey(name[...])
        guard let index = chainIndex(stem) else { return nil }
        var found: [S3Object] = []
        var next = chainHeads[index]
        while next != 0 {
            var cursor = objects.cursor(at: Int(next - 1))
            next = try cursor.varint()
            let size = Int(try cursor.varint())
            let key = try cursor.string(), etag = try cursor.string(), lastModified = try cursor.string()
            let storageClass = try cursor.varint() == 0 ? nil : try cursor.string()
            let object = S3Object(key: key, size: size, etag: etag, lastModified: lastModified, storageClass: storageClass)
            // The hash brought it here; the stem itself decides (byte for byte).
            if stemKey(object.fileName).utf8.elementsEqual(stem.utf8) { found.append(object) }
        }
        guard !found.isEmpty else { return nil }
        // The chain runs backwards; in listing order, keys that compare equal (canonically
        // equivalent Unicode) keep the order they always had.
        found.reverse()
        let listed = normalize(name[...])
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
