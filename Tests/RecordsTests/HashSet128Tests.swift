// HashSet128 against Swift's Set on the same operations: random hashes, the all-zero hash,
// clustered hashes (one half fixed, sequential, one home slot), every growth boundary, copies.
import Testing
@testable import Records

@Suite struct HashSet128Tests {
    /// xorshift64*: the same sequence every run.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
    }

    /// Inserts `hashes` into both sets, checking every answer, then looks up `probes` in both.
    func agrees(_ hashes: [StableHash], probes: [StableHash] = [], reserve: Int = 0) -> Bool {
        var flat = HashSet128(minimumCapacity: reserve)
        var reference = Set<StableHash>()
        for hash in hashes {
            let inserted = flat.insert(hash)
            if inserted != reference.insert(hash).inserted { return false }
            if flat.count != reference.count || !flat.contains(hash) { return false }
            if Double(flat.count) > Double(flat.capacity) * 0.875 + 1 { return false }
        }
        for hash in hashes + probes where flat.contains(hash) != reference.contains(hash) { return false }
        return true
    }

    @Test func randomHashesWithRepeatsMatchSwiftsSet() {
        var random = Random(state: 0x1234_5678_9ABC_DEF1)
        var hashes: [StableHash] = []
        for _ in 0..<50_000 {
            // A third are repeats of an earlier hash.
            if !hashes.isEmpty && random.next() % 3 == 0 {
                hashes.append(hashes[Int(random.next() % UInt64(hashes.count))])
            } else {
                hashes.append(StableHash(low: random.next(), high: random.next()))
            }
        }
        let absent = (0..<20_000).map { _ in StableHash(low: random.next(), high: random.next()) }
        #expect(agrees(hashes, probes: absent))
        #expect(agrees(hashes, probes: absent, reserve: 50_000))
    }

    @Test func theAllZeroHashIsKeptApartFromEmptySlots() {
        let zero = StableHash(low: 0, high: 0)
        var set = HashSet128()
        #expect(!set.contains(zero))
        let first = set.insert(zero), again = set.insert(zero)
        #expect(first && !again)
        #expect(set.contains(zero) && set.count == 1)
        // Hashes with one half zero are ordinary hashes, not the zero one.
        let lowZero = set.insert(StableHash(low: 0, high: 1)), highZero = set.insert(StableHash(low: 1, high: 0))
        #expect(lowZero && highZero)
        #expect(set.count == 3)
        // And the zero hash survives every growth.
        for i in 2..<1_000 as Range<UInt64> { set.insert(StableHash(low: i, high: i)) }
        #expect(set.contains(zero) && set.count == 3 + 998)
        #expect(agrees([zero, StableHash(low: 0, high: 1), zero, StableHash(low: 1, high: 0)]))
    }

    @Test func clusteredHashesMatchSwiftsSet() {
        // Sequential values in one half, the other fixed; and values differing only in the top
        // bits; and the string hashes of sequential ids, as the tools make them.
        let sequentialLow = (1...5_000 as ClosedRange<UInt64>).map { StableHash(low: $0, high: 42) }
        let sequentialHigh = (1...5_000 as ClosedRange<UInt64>).map { StableHash(low: 7, high: $0) }
        let topBits = (1...4_000 as ClosedRange<UInt64>).map { StableHash(low: $0 << 52, high: $0 << 52) }
        let ids = (0..<20_000).map { StableHash("img_\($0)") }
        #expect(agrees(sequentialLow + sequentialHigh + sequentialLow, probes: topBits))
        #expect(agrees(topBits + topBits, probes: sequentialLow))
        #expect(agrees(ids + ids.reversed(), probes: (0..<2_000).map { StableHash("img_\($0).jpg") }))
    }

    @Test func everyGrowthBoundaryKeepsEveryHash() {
        var random = Random(state: 99)
        var set = HashSet128()
        var reference: [StableHash] = []
        var growths = 0
        for _ in 0..<3_000 {
            let hash = StableHash(low: random.next(), high: random.next())
            let capacity = set.capacity
            set.insert(hash)
            reference.append(hash)
            if set.capacity != capacity {
                growths += 1
                // One of the sixteen tables grew by half; the rest kept their size.
                #expect(set.capacity > capacity && set.capacity <= capacity + capacity / 2)
                #expect(reference.allSatisfy(set.contains))
            }
        }
        #expect(growths >= 16 * 6)
        #expect(set.count == 3_000)
        // Filled to a reserved size: no growth, under 20 bytes a hash.
        var reserved = HashSet128(minimumCapacity: 100_000)
        let capacity = reserved.capacity
        for _ in 0..<100_000 { reserved.insert(StableHash(low: random.next(), high: random.next())) }
        #expect(reserved.count == 100_000 && reserved.capacity == capacity && capacity * 16 < 100_000 * 20)
        reserved.reserveCapacity(10)
        #expect(reserved.capacity == capacity)
    }

    @Test func aCopyIsIndependentOfTheOriginal() {
        var first = HashSet128()
        for i in 1...100 as ClosedRange<UInt64> { first.insert(StableHash(low: i, high: 0)) }
        var second = first
        let added = second.insert(StableHash(low: 1_000, high: 1))
        #expect(added)
        first.insert(StableHash(low: 0, high: 0))
        #expect(!first.contains(StableHash(low: 1_000, high: 1)) && first.count == 101)
        #expect(!second.contains(StableHash(low: 0, high: 0)) && second.count == 101)
        var third = second
        third.reserveCapacity(10_000)
        #expect(third.count == 101 && second.capacity < third.capacity)
        #expect((1...100 as ClosedRange<UInt64>).allSatisfy { third.contains(StableHash(low: $0, high: 0)) })
    }
}
