// HashSet128: a set of 128-bit hashes in one flat buffer of 16-byte slots, for the id indexes
// every record tool keeps (duplicate ids, the resume journal, plotdist's counted ids). Swift's
// Set keeps the same 16 bytes at most three quarters full and doubles, 21–43 bytes an id and
// 64 while it rehashes; this one fills to seven eighths and grows by half, 18–27 bytes an id
// and 46 for the moment of a rehash (the old buffer is freed as soon as it is read).

/// A set of `StableHash` values: Robin Hood linear probing in one buffer, copy-on-write.
public struct HashSet128: Sendable {
    private var table: Table

    /// An empty set; `minimumCapacity` ids fit before it first grows.
    public init(minimumCapacity: Int = 0) {
        table = Table(capacity: Table.capacity(for: minimumCapacity))
    }

    /// How many hashes the set holds.
    public var count: Int { table.occupied + (table.hasZero ? 1 : 0) }
    public var isEmpty: Bool { count == 0 }
    /// Slots in the buffer (each 16 bytes); `count` may reach seven eighths of it.
    public var capacity: Int { table.capacity }

    /// Whether `hash` is in the set.
    public func contains(_ hash: StableHash) -> Bool {
        if hash.isZero { return table.hasZero }
        return table.find(hash) != nil
    }

    /// Adds `hash`; false when it was there already.
    @discardableResult
    public mutating func insert(_ hash: StableHash) -> Bool {
        if !isKnownUniquelyReferenced(&table) { table = table.copy(capacity: table.capacity) }
        if hash.isZero {
            if table.hasZero { return false }
            table.hasZero = true
            return true
        }
        if table.find(hash) != nil { return false }
        if table.occupied + 1 > Table.maximumOccupied(table.capacity) {
            table = table.copy(capacity: Table.grownCapacity(table.capacity, toHold: table.occupied + 1))
        }
        table.insertNew(hash)
        return true
    }

    /// Makes room for `count` hashes in all without growing (a caller that knows how many are
    /// coming spares the rehashes and sizes the buffer to seven eighths full).
    public mutating func reserveCapacity(_ count: Int) {
        let needed = Table.capacity(for: count)
        guard needed > table.capacity else { return }
        table = table.copy(capacity: needed)
    }

    /// The storage: slots whose all-zero value means empty, so the all-zero hash itself is a flag.
    /// Mutated only while uniquely referenced (the set copies it first), hence Sendable.
    private final class Table: @unchecked Sendable {
        let capacity: Int
        let slots: UnsafeMutablePointer<StableHash>
        var occupied = 0
        var hasZero = false

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
            copy.hasZero = hasZero
            if capacity == self.capacity {
                copy.slots.update(from: slots, count: capacity)
                copy.occupied = occupied
            } else {
                for i in 0..<self.capacity where !slots[i].isZero { copy.insertNew(slots[i]) }
            }
            return copy
        }

        /// The slot a hash would sit in with no collisions. Mixes both halves (a caller's hashes
        /// need not be uniform in either), then maps onto 0..<capacity by the high half of a
        /// multiply, so any capacity works, not only powers of two.
        @inline(__always) func home(_ hash: StableHash) -> Int {
            let mixed = (hash.low ^ (hash.high &* 0x9E37_79B9_7F4A_7C15)) &* 0xD6E8_FEB8_6659_FD93
            return Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(capacity)).high)
        }

        /// How far slot `index` is from the home of the hash in it.
        @inline(__always) func distance(_ hash: StableHash, at index: Int) -> Int {
            let home = home(hash)
            return index >= home ? index - home : index + capacity - home
        }

        /// The slot holding `hash` (not zero). Robin Hood order lets a miss stop at the first
        /// slot whose hash is nearer its home than `hash` would be.
        func find(_ hash: StableHash) -> Int? {
            var index = home(hash)
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
        func insertNew(_ hash: StableHash) {
            var carried = hash
            var index = home(hash)
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
