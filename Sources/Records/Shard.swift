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

    /// Parses `K/N`.
    public init(parsing text: String) throws(ShardSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardSpecError(text: text, reason: "expected K/N, e.g. 0/4")
        }
        try self.init(index: k, count: n)
    }

    /// Whether the record with this key belongs to the shard.
    public func contains(key: String) -> Bool {
        count == 1 || StableHash(key).low % UInt64(count) == UInt64(index)
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
