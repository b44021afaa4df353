// HashSlotTable: an open-addressing table of 8 bytes a slot that maps a 64-bit hash to a
// position in a spool file, for sets of millions of strings kept on disk. A slot holds the top
// 31 bits of the hash (so the table can grow without the strings) and the position in 8-byte
// units; a slot whose bits match is only a candidate: the caller compares the real string.

/// Hash → spool offsets, 8 bytes a slot, at most three quarters full.
public struct HashSlotTable: Sendable {
    private static let offsetBits: UInt64 = 33
    private static let tagBits = 64 - offsetBits
    /// Offsets are kept in 8-byte units: the spool aligns its records to 8.
    public static let alignment = 8
    public static let maximumOffset = ((1 << offsetBits) - 2) * alignment
    private var slots: [UInt64]
    private var shift: UInt64
    public private(set) var count = 0

    public init() {
        slots = [UInt64](repeating: 0, count: 1 << 10)
        shift = 64 - 10
    }

    /// Bytes the slots take.
    public var byteCount: Int { slots.count * 8 }

    /// Calls `isMatch` with the offset of every entry whose hash may be `hash`, until it returns
    /// true; returns that offset, or nil.
    public func first(hash: UInt64, where isMatch: (Int) throws -> Bool) rethrows -> Int? {
        let tag = hash >> Self.offsetBits
        let mask = slots.count - 1
        var index = Int(hash >> shift)
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if slot >> Self.offsetBits == tag {
                let offset = Int((slot & ((1 << Self.offsetBits) - 1)) - 1) * Self.alignment
                if try isMatch(offset) { return offset }
            }
            index = (index + 1) & mask
        }
    }

    /// Adds an entry (the caller knows its string is not in the table yet).
    public mutating func insert(hash: UInt64, offset: Int) {
        precondition(offset % Self.alignment == 0 && offset <= Self.maximumOffset, "spool offset out of the table's range")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(tag: hash >> Self.offsetBits, unit: UInt64(offset / Self.alignment) + 1)
        count += 1
    }

    private mutating func place(tag: UInt64, unit: UInt64) {
        let mask = slots.count - 1
        // The home slot is the hash's top bits, which the tag keeps: growing needs no strings.
        var index = Int(tag >> (Self.tagBits - (64 - shift)))
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = tag << Self.offsetBits | unit
    }

    private mutating func grow() {
        precondition(64 - shift < Self.tagBits, "more entries than a hash table of 2^31 slots holds")
        let old = slots
        slots = []   // the old slots go before the new ones are counted twice
        slots = [UInt64](repeating: 0, count: old.count * 2)
        shift -= 1
        for slot in old where slot != 0 {
            place(tag: slot >> Self.offsetBits, unit: slot & ((1 << Self.offsetBits) - 1))
        }
    }
}
