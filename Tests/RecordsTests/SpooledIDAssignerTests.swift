// SpooledIDAssigner against IDAssigner: the same ids and duplicates for every name of lists
// full of same stems, repeated names, names that are another's stem, explicit ids and
// fallbacks — with the real hash, and with hashes so weak that every id collides, where only
// comparing the real bytes keeps different names apart.
import Testing
@testable import Records

@Suite struct SpooledIDAssignerTests {
    /// One step of a list: a name (with fallbacks) to assign, or an id a record carries.
    enum Step { case assign(String, [String]), claim(String) }

    /// Random names from a small alphabet, so stems, extensions and whole names repeat.
    static func steps(count: Int, seed: UInt64) -> [Step] {
        var random = SplitMix64(seed: seed)
        let stems = ["a", "b", "a.b", "c.jpg", "d", "é", "e\u{301}", "x y", ".h"]
        let exts = ["", ".jpg", ".png", ".JPG", ".jpg.png", ".b"]
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        return (0..<count).map { _ in
            let name = pick(stems) + pick(exts)
            switch random.next() % 10 {
            case 0: return .claim(pick(stems) + pick(exts))
            case 1: return .assign(name, ["dir\(random.next() % 3)/" + name])
            default: return .assign(name, [])
            }
        }
    }

    static func outcomes(_ steps: [Step], _ assigner: inout some IDAssigning) throws -> [String] {
        try steps.map { step in
            switch step {
            case .assign(let name, let fallbacks): return "\(try assigner.assign(name: name, fallbacks: fallbacks))"
            case .claim(let id): return "claim \(id): \(try assigner.claim(id))"
            }
        }
    }

    @Test(arguments: [("stable", 0 as UInt64), ("all-collide", 1), ("four-values", 2)])
    func sameOutcomesAsTheInMemoryAssigner(hashName: String, kind: UInt64) throws {
        let hash: SpooledIDAssigner.Hash = switch kind {
        case 0: SpooledIDAssigner.stableHash
        case 1: { _ in 0x1234_5678_9abc_def0 }
        default: { SpooledIDAssigner.stableHash($0) & 0xc000_0000_0000_0000 }
        }
        for seed in 1...20 as ClosedRange<UInt64> {
            let steps = Self.steps(count: 300, seed: seed)
            var memory = IDAssigner()
            var spooled = try SpooledIDAssigner(directory: "/tmp", hash: hash)
            let expected = try Self.outcomes(steps, &memory)
            let got = try Self.outcomes(steps, &spooled)
            #expect(got == expected, "hash \(hashName), seed \(seed)")
            #expect(expected.contains { $0.hasPrefix("duplicate") } && expected.contains { $0.hasSuffix("false") })
        }
    }

    @Test func collidingHashesNeverMergeTwoNames() throws {
        // Every id hashes alike: the table's candidates are all wrong but one, and the bytes decide.
        let assigner = try SpooledIDAssigner(directory: "/tmp", hash: { _ in 42 })
        let names = (0..<2000).map { "img_\($0).jpg" }
        #expect(try names.map { try assigner.assign(name: $0).id } == names.map { String($0.dropLast(4)) })
        #expect(try assigner.assign(name: "img_1999.png") == .unique("img_1999.png"))
        #expect(try assigner.assign(name: "img_7.jpg") == .duplicate("img_7.jpg"))
        #expect(try !assigner.claim("img_5"))
        #expect(try assigner.claim("img_2000"))
        #expect(assigner.count == 2002)
    }

    @Test func theTableGrowsWithoutTheStringsAndKeepsEightBytesASlot() throws {
        let assigner = try SpooledIDAssigner(directory: "/tmp")
        for i in 0..<150_000 { _ = try assigner.assign(name: "n\(i).jpg") }
        #expect(assigner.count == 150_000)
        // 150,000 ids, at most three quarters full: 2^18 slots of 8 bytes (2^17 holds 98,304).
        #expect(assigner.tableBytes == (1 << 18) * 8)
        #expect(try assigner.assign(name: "n123455.jpg") == .duplicate("n123455.jpg"))
        #expect(try assigner.assign(name: "n123455.png") == .unique("n123455.png"))
    }
}
