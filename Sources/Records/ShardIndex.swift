// ShardIndex: where each record of N shard files starts, found by the key's hash — 16 bytes a
// record (64 bits of the key's StableHash; file number, byte offset and a taken bit packed in
// the other 64), so merging shards takes memory by the number of records, not their size.
import Posix

/// A sorted table of (hash of key, file, offset, taken) for the records of some shard files.
struct ShardIndex {
    /// One record's place; `location` packs taken (bit 63), file (bits 48–62) and offset (0–47).
    struct Entry {
        var hash: UInt64
        var location: UInt64

        static let offsetBits: UInt64 = 48
        static let offsetMask: UInt64 = (1 << offsetBits) - 1
        static let takenBit: UInt64 = 1 << 63
        static let maximumFiles = 1 << 15
        static let maximumOffset = Int(offsetMask)

        init(hash: UInt64, file: Int, offset: Int) {
            self.hash = hash
            location = UInt64(file) << Self.offsetBits | UInt64(offset)
        }

        var file: Int { Int((location & ~Self.takenBit) >> Self.offsetBits) }
        var offset: Int { Int(location & Self.offsetMask) }
        var isTaken: Bool { location & Self.takenBit != 0 }
    }

    private(set) var entries: [Entry] = []

    mutating func append(hash: UInt64, file: Int, offset: Int) {
        entries.append(Entry(hash: hash, file: file, offset: offset))
    }

    /// Sorts by hash, then by file and offset (so records of one key keep their file order).
    mutating func seal() {
        entries.sort { ($0.hash, $0.location) < ($1.hash, $1.location) }
    }

    /// The positions of the entries with this hash not yet taken.
    func untaken(hash: UInt64) -> [Int] {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        var found: [Int] = []
        var position = low
        while position < entries.count, entries[position].hash == hash {
            if !entries[position].isTaken { found.append(position) }
            position += 1
        }
        return found
    }

    mutating func take(_ position: Int) {
        entries[position].location |= Entry.takenBit
    }

    /// The first entry never taken, in file and offset order (for the message about it).
    var firstUntaken: Entry? {
        entries.filter { !$0.isTaken }.min { $0.location < $1.location }
    }
}
