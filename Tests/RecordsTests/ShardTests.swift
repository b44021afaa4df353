// --shard K/N: a stable hash splits the ids into disjoint shards that cover the input.
import Testing
@testable import Records

@Suite struct ShardTests {
    @Test(arguments: [1, 2, 3, 7, 16])
    func shardsPartitionTenThousandIDs(count: Int) throws {
        let ids = (0..<10_000).map { "img_\($0)_\($0 * 7919 % 10007)" }
        var seen = Set<String>()
        var sizes: [Int] = []
        for index in 0..<count {
            let shard = try Shard(index: index, count: count)
            let mine = ids.filter { shard.contains(key: $0) }
            #expect(seen.isDisjoint(with: mine))
            seen.formUnion(mine)
            sizes.append(mine.count)
        }
        #expect(seen == Set(ids))
        // A usable hash spreads ids evenly: every shard within 20% of the mean.
        let mean = Double(ids.count) / Double(count)
        #expect(sizes.allSatisfy { abs(Double($0) - mean) < 0.2 * mean + 5 })
    }

    @Test func parsingRejectsBadSpecs() throws {
        #expect(try Shard(parsing: "1/4") == Shard(index: 1, count: 4))
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3"] {
            #expect(throws: ShardSpecError.self) { _ = try Shard(parsing: bad) }
        }
    }

    @Test func envFormTakesKFromTheJobArraySchedulersVariable() throws {
        func parse(_ text: String, _ variables: [String: String]) throws(ShardSpecError) -> Shard {
            try Shard(parsing: text, environment: { variables[$0] })
        }
        #expect(try parse("env/4", ["SLURM_ARRAY_TASK_ID": "2"]) == Shard(index: 2, count: 4))
        #expect(try parse("env/3", ["JOB_COMPLETION_INDEX": "0"]) == Shard(index: 0, count: 3))
        #expect(try parse("env/5", ["AWS_BATCH_JOB_ARRAY_INDEX": "4"]) == Shard(index: 4, count: 5))
        // Slurm's variable first when a job carries more than one.
        #expect(try parse("env/4", ["JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "3"]) == Shard(index: 3, count: 4))
        #expect(try parse("1/4", ["SLURM_ARRAY_TASK_ID": "3"]) == Shard(index: 1, count: 4))
        do {
            _ = try parse("env/4", [:])
            Issue.record("env/4 without a variable must fail")
        } catch {
            #expect(error.description.contains("SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX"))
        }
        do {
            _ = try parse("env/4", ["AWS_BATCH_JOB_ARRAY_INDEX": "4"])
            Issue.record("K = N must fail")
        } catch {
            #expect(error.description == "invalid shard 'env/4': AWS_BATCH_JOB_ARRAY_INDEX=4 is not between 0 and 3")
        }
        #expect(throws: ShardSpecError.self) { _ = try parse("env/4", ["SLURM_ARRAY_TASK_ID": "x"]) }
    }

    /// Reference values from Python's mmh3.hash128(s, 0, True, signed=False) (low, high 64 bits).
    @Test(arguments: [
        ("", UInt64(0), UInt64(0)),
        ("hello", 0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19),
        ("dalle2_0002c2323d584fa48102d9501e7f72ce_gen", 0x747f_e1d8_ce0e_26c2, 0x11f2_c9b9_3ac7_5bc4),
        (String(repeating: "x", count: 31), 0x887b_5e1e_cbc9_ba74, 0x1899_acd5_e8e6_9db3),
    ])
    func stableHashIsMurmurHash3(text: String, low: UInt64, high: UInt64) {
        let hash = StableHash(text)
        #expect(hash.low == low)
        #expect(hash.high == high)
    }
}
