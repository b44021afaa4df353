// Shard: `--shard K/N` keeps the records whose id hashes to K modulo N, so N machines (or N
// processes) split one input into disjoint parts that together are exactly the input.
import Posix

/// One of N disjoint shards, numbered 0..<N.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(ShardSpecError) {
        guard count >= 1 else { throw ShardSpecError(text: "\(index)/\(count)", reason: "N must be at least 1") }
        guard (0..<count).contains(index) else {
            throw ShardSpecError(text: "\(index)/\(count)", reason: "K must be between 0 and \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// The variables job-array schedulers set to a task's index (0-based), in the order `env/N`
    /// looks for them: Slurm, Kubernetes Indexed Jobs, AWS Batch array jobs.
    public static let indexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"]

    /// Parses `K/N`, or `env/N`: K from the first of `indexVariables` that `environment` has, so
    /// one command line serves every task of a job array.
    public init(parsing text: String, environment: (String) -> String? = { _ in nil }) throws(ShardSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[1]) else {
            throw ShardSpecError(text: text, reason: "expected K/N (e.g. 0/4) or env/N")
        }
        if parts[0] == "env" {
            guard let name = Self.indexVariables.first(where: { environment($0) != nil }), let value = environment(name) else {
                throw ShardSpecError(text: text, reason: "env/N takes K from \(Self.indexVariables.joined(separator: ", ")), and none is set")
            }
            guard let k = Int(value) else { throw ShardSpecError(text: text, reason: "\(name)=\(value) is not a number") }
            guard (0..<max(n, 1)).contains(k) else {
                throw ShardSpecError(text: text, reason: "\(name)=\(k) is not between 0 and \(n - 1)")
            }
            try self.init(index: k, count: n)
            return
        }
        guard let k = Int(parts[0]) else { throw ShardSpecError(text: text, reason: "expected K/N (e.g. 0/4) or env/N") }
        try self.init(index: k, count: n)
    }

    /// Whether the record with this key belongs to the shard.
    public func contains(key: String) -> Bool {
        count == 1 || Self.index(ofHash: StableHash(key).low, count: count) == index
    }

    /// The shard of N a key whose `StableHash(key).low` is `hash` belongs to.
    public static func index(ofHash hash: UInt64, count: Int) -> Int {
        Int(hash % UInt64(count))
    }

    public var description: String { "\(index)/\(count)" }
}

public struct ShardSpecError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid shard '\(text)': \(reason)" }
}

extension ShardSpecError: UserFacingError {
    public var message: String { description }
}
