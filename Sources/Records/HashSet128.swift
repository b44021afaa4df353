// HashSet128: a set of 128-bit hashes in flat buffers of 16-byte slots, for the id indexes
// every record tool keeps (duplicate ids, the resume journal, plotdist's counted ids). Swift's
// Set keeps the same 16 bytes at most three quarters full and doubles, 21–43 bytes an id and
// 64 while it rehashes (old and new buffers live). This one fills to seven eighths and grows by
// half, 18–27 bytes an id; and it is sixteen tables, each holding the hashes whose top bits
// select it, grown one at a time, so a rehash adds a sixteenth of the set, not all of it.

/// A set of `StableHash` values: Robin Hood linear probing in sixteen buffers, copy-on-write.
public struct HashSet128: Sendable {
    private var tables: [Table]
    private var hasZero = false

    /// Tables (a power of two): the top bits of a hash choose one.
    private static let tableCount = 16
    private static let tableShift: UInt64 = 60

    /// An empty set; `minimumCapacity` ids fit before it first grows (if spread as evenly as
    /// hashes are: each table gets its share and some slack).
    public init(minimumCapacity: Int = 0) {
        let capacity = Table.capacity(for: Self.share(of: minimumCapacity))
        tables = (0..<Self.tableCount).map { _ in Table(capacity: capacity) }
    }

    /// How many hashes the set holds.
    public var count: Int { tables.reduce(hasZero ? 1 : 0) { $0 + $1.occupied } }
    /// Slots in the buffers (each 16 bytes); each table may be seven eighths full.
    public var capacity: Int { tables.reduce(0) { $0 + $1.capacity } }

    /// Whether `hash` is in the set.
    public func contains(_ hash: StableHash) -> Bool {
        if hash.isZero { return hasZero }
        let mixed = Self.mix(hash)
        return tables[Int(truncatingIfNeeded: mixed >> Self.tableShift)].find(hash, mixed << 4) != nil
    }

    /// Adds `hash`; false when it was there already.
    @discardableResult
    public mutating func insert(_ hash: StableHash) -> Bool {
        if hash.isZero {
            if hasZero { return false }
            hasZero = true
            return true
        }
        let mixed = Self.mix(hash)
        let index = Int(truncatingIfNeeded: mixed >> Self.tableShift)
        let key = mixed << 4
        if tables[index].find(hash, key) != nil { return false }
        let occupied = tables[index].occupied, capacity = tables[index].capacity
        if occupied + 1 > Table.maximumOccupied(capacity) {
            // The old buffer goes as soon as the new one is filled.
            tables[index] = tables[index].copy(capacity: Table.grownCapacity(capacity, toHold: occupied + 1))
        } else if !isKnownUniquelyReferenced(&tables[index]) {
            tables[index] = tables[index].copy(capacity: capacity)
        }
        tables[index].insertNew(hash, key)
        return true
    }

    /// Makes room for `count` hashes in all without growing (a caller that knows how many are
    /// coming spares the rehashes and sizes the buffers to about seven eighths full).
    public mutating func reserveCapacity(_ count: Int) {
        let needed = Table.capacity(for: Self.share(of: count))
        for index in tables.indices where tables[index].capacity < needed {
            tables[index] = tables[index].copy(capacity: needed)
        }
    }

    /// What one table must hold for `count` hashes in all: its sixteenth and four standard
    /// deviations more (hashes fall into tables at random).
    private static func share(of count: Int) -> Int {
        guard count > 0 else { return 0 }
        let mean = count / tableCount
        return mean + 4 * Int(Double(mean).squareRoot()) + 8
    }

    /// Mixes both halves (a caller's hashes need not be uniform in either): the top bits pick
    /// the table, the rest the slot.
    @inline(__always) private static func mix(_ hash: StableHash) -> UInt64 {
        (hash.low ^ (hash.high &* 0x9E37_79B9_7F4A_7C15)) &* 0xD6E8_FEB8_6659_FD93
    }

    /// One table: slots whose all-zero value means empty, so the all-zero hash itself is a flag
    /// of the set. Mutated only while uniquely referenced (the set copies it first), hence Sendable.
    private final class Table: @unchecked Sendable {
        let capacity: Int
        let slots: UnsafeMutablePointer<StableHash>
        var occupied = 0

        init(capacity: Int) {
            self.capacity = capacity
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: StableHash(low: 0, high: 0), count: capacity)
        }

        deinit { slots.deallocate() }

        static let smallestCapacity = 8

        /// Seven eighths of the slots, at least one free: a probe always meets an empty slot.
        static func maximumOccupied(_ capacity: Int) -> Int { min(capacity - 1, capacity - capacity / 8) }

        /// The fewest slots that hold `count` hashes.
        static func capacity(for count: Int) -> Int {
            var capacity = max(smallestCapacity, count + (count + 6) / 7)
            while maximumOccupied(capacity) < count { capacity += 1 }
            return capacity
        }

        /// Half again as many slots (the peak of a rehash is the old buffer and the new one).
        static func grownCapacity(_ capacity: Int, toHold count: Int) -> Int {
            max(capacity + capacity / 2, Self.capacity(for: count))
        }

        /// A copy with `capacity` slots; the new table is filled, the caller drops the old one.
        func copy(capacity: Int) -> Table {
            let copy = Table(capacity: capacity)
            if capacity == self.capacity {
                copy.slots.update(from: slots, count: capacity)
                copy.occupied = occupied
            } else {
                for i in 0..<self.capacity where !slots[i].isZero {
                    copy.insertNew(slots[i], HashSet128.mix(slots[i]) << 4)
                }
            }
            return copy
        }

        /// The slot a hash would sit in with no collisions: its mixed bits below the table's
        /// (`key`) mapped onto 0..<capacity by the high half of a multiply, so any capacity
        /// works, not only powers of two.
        @inline(__always) func home(_ key: UInt64) -> Int {
            Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(capacity)).high)
        }

        /// How far slot `index` is from the home of the hash in it.
        @inline(__always) func distance(_ hash: StableHash, at index: Int) -> Int {
            let home = home(HashSet128.mix(hash) << 4)
            return index >= home ? index - home : index + capacity - home
        }

        /// The slot holding `hash` (not zero). Robin Hood order lets a miss stop at the first
        /// slot whose hash is nearer its home than `hash` would be.
        func find(_ hash: StableHash, _ key: UInt64) -> Int? {
            var index = home(key)
            var distance = 0
            while true {
                let slot = slots[index]
                if slot == hash { return index }
                if slot.isZero || self.distance(slot, at: index) < distance { return nil }
                index += 1
                if index == capacity { index = 0 }
                distance += 1
            }
        }

        /// Puts a hash known to be absent (and not zero) in place, displacing hashes nearer their
        /// homes, so every probe sequence stays in order of distance.
        func insertNew(_ hash: StableHash, _ key: UInt64) {
            var carried = hash
            var index = home(key)
            var distance = 0
            while true {
                let slot = slots[index]
                if slot.isZero {
                    slots[index] = carried
                    occupied += 1
                    return
                }
                let slotDistance = self.distance(slot, at: index)
                if slotDistance < distance {
                    slots[index] = carried
                    carried = slot
                    distance = slotDistance
                }
                index += 1
                if index == capacity { index = 0 }
                distance += 1
            }
        }
    }
}

extension StableHash {
    /// A hash from its two halves (for tests and tables; `init(_:)` hashes a string).
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    @inline(__always) var isZero: Bool { low == 0 && high == 0 }
}
