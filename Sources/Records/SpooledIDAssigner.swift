// SpooledIDAssigner: the contract's id rule (as IDAssigner) for lists of millions of names in
// about 11 bytes of memory an id: the ids taken are written to an unnamed spool file, and an
// 8-byte-a-slot table maps a 64-bit hash of each id to its place there. A hash match is only a
// candidate: the id (and the name that took it) is read back and compared byte for byte, so two
// different names are never taken for one, whatever their hashes.
import Posix

/// Gives ids by the contract's rule, remembering them on disk.
public final class SpooledIDAssigner: IDAssigning {
    /// A 64-bit hash of a string's UTF-8 bytes (tests pass a weak one to force collisions).
    public typealias Hash = (UnsafeRawBufferPointer) -> UInt64
    private let spool: SpoolFile
    private var table = HashSlotTable()
    private let hash: Hash

    /// A spool under `directory`, gone when this value goes.
    public init(directory: String, hash: @escaping Hash = SpooledIDAssigner.stableHash) throws(SystemError) {
        spool = try SpoolFile(directory: directory, prefix: "ids-")
        self.hash = hash
    }

    /// The first 64 bits of the 128-bit `StableHash`.
    public static func stableHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        StableHash(bytes: bytes.assumingMemoryBound(to: UInt8.self)).low
    }

    /// How many ids were claimed.
    public var count: Int { table.count }
    /// Bytes of memory the table takes (the spool is on disk).
    public var tableBytes: Int { table.byteCount }

    public func claim(_ id: String) throws -> Bool {
        var id = id
        return try id.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let hash = hash(bytes)
            if try claimer(of: bytes, hash: hash) != nil { return false }
            try take(id: bytes, source: nil, hash: hash)
            return true
        }
    }

    /// As `IDAssigner.assign`: the name's source (its last fallback, else itself) is a
    /// duplicate when it took one of its own candidates before; the first candidate no one took
    /// is its id.
    public func assign(name: String, fallbacks: [String] = []) throws -> IDAssignment {
        // An earlier record with this source took the first candidate free at its time, and
        // every candidate before that one is still taken: walking the candidates in order meets
        // it before any free one, so this finds "the same name again" exactly as the in-memory
        // set of sources does.
        var (source, candidates) = IDAssigner.candidates(name: name, fallbacks: fallbacks)
        return try source.withUTF8 { sourceUTF8 in
            let sourceBytes = UnsafeRawBufferPointer(sourceUTF8)
            for var candidate in candidates {
                let outcome = try candidate.withUTF8 { utf8 -> CandidateOutcome in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    let hash = hash(bytes)
                    guard let offset = try claimer(of: bytes, hash: hash) else {
                        try take(id: bytes, source: sourceBytes, hash: hash)
                        return .claimed
                    }
                    return try Entry.read(spool, at: offset).sourceEquals(sourceBytes, in: spool) ? .sameSource : .taken
                }
                switch outcome {
                case .claimed: return .unique(candidate)
                case .sameSource: return .duplicate(name)
                case .taken: continue
                }
            }
            return .duplicate(name)
        }
    }

    private enum CandidateOutcome { case claimed, taken, sameSource }

    /// The spool offset of the entry that took `id`, or nil when it is free.
    private func claimer(of id: UnsafeRawBufferPointer, hash: UInt64) throws -> Int? {
        try table.first(hash: hash) { offset in try Entry.read(spool, at: offset).idEquals(id, in: spool) }
    }

    private func take(id: UnsafeRawBufferPointer, source: UnsafeRawBufferPointer?, hash: UInt64) throws {
        try spool.align(to: HashSlotTable.alignment)
        var record = SpoolRecord()
        let prefix = source.map { $0.count >= id.count && $0.prefix(id.count).elementsEqual(id) } ?? false
        record.bytes.append((source != nil ? 1 : 0) | (prefix ? 2 : 0))
        record.varint(UInt64(id.count))
        if let source {
            record.varint(UInt64(source.count))
            if !prefix { record.bytes.append(contentsOf: id) }
            record.bytes.append(contentsOf: source)
        } else {
            record.bytes.append(contentsOf: id)
        }
        let offset = try spool.append(record.bytes)
        table.insert(hash: hash, offset: offset)
    }

    /// One id taken: where its bytes and its source's are in the spool.
    private struct Entry {
        var idOffset: Int
        var idCount: Int
        var sourceOffset: Int?
        var sourceCount: Int

        static func read(_ spool: SpoolFile, at offset: Int) throws -> Entry {
            var cursor = spool.cursor(at: offset)
            let flags = try cursor.byte()
            let idCount = Int(try cursor.varint())
            guard flags & 1 != 0 else { return Entry(idOffset: cursor.offset, idCount: idCount, sourceOffset: nil, sourceCount: 0) }
            let sourceCount = Int(try cursor.varint())
            if flags & 2 != 0 {
                return Entry(idOffset: cursor.offset, idCount: idCount, sourceOffset: cursor.offset, sourceCount: sourceCount)
            }
            return Entry(idOffset: cursor.offset, idCount: idCount, sourceOffset: cursor.offset + idCount, sourceCount: sourceCount)
        }

        func idEquals(_ bytes: UnsafeRawBufferPointer, in spool: SpoolFile) throws -> Bool {
            guard bytes.count == idCount else { return false }
            var cursor = spool.cursor(at: idOffset)
            return try cursor.bytesEqual(idCount, bytes)
        }

        func sourceEquals(_ bytes: UnsafeRawBufferPointer, in spool: SpoolFile) throws -> Bool {
            guard let sourceOffset, bytes.count == sourceCount else { return false }
            var cursor = spool.cursor(at: sourceOffset)
            return try cursor.bytesEqual(sourceCount, bytes)
        }
    }
}
