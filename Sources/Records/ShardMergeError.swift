// ShardMergeError: why shard outputs cannot be joined into one stage file. Each says which file
// (and line) and what to do: a merge never writes a file that lacks or repeats a record.
import Posix

public enum ShardMergeError: Error, Equatable, Sendable {
    /// The shard's output is not there; `partial` when its `.part` checkpoint is.
    case missingShard(path: String, partial: Bool)
    /// The shard file's last line has no newline: it was cut while being written.
    case tornShard(path: String)
    /// A line of a shard file that is not a record the merge can place.
    case unreadableLine(path: String, line: Int, reason: String)
    /// A record in the file of another shard (outputs of runs with different N mixed).
    case wrongShard(path: String, line: Int, key: String, belongs: String)
    /// An input record with no output record in any shard.
    case missingRecord(input: String, line: Int, key: String)
    /// An output record with no input record left to stand for (a duplicate, or not from this input).
    case extraRecord(path: String, line: Int, key: String)
    /// More shard files or bigger ones than the index can address.
    case tooLarge(path: String, reason: String)
}

extension ShardMergeError: UserFacingError, CustomStringConvertible {
    public var message: String {
        switch self {
        case .missingShard(let path, true):
            return "\(path): missing; \(path).part is an unfinished shard output: rerun that shard (it resumes), then merge"
        case .missingShard(let path, false):
            return "\(path): missing: run that shard, then merge"
        case .tornShard(let path):
            return "\(path): partial (its last line is incomplete): rerun that shard with -o \(path) to repair it"
        case .unreadableLine(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .wrongShard(let path, let line, let key, let belongs):
            return "\(path):\(line): id \"\(Self.shown(key))\" belongs to shard \(belongs), not to this file's (shard outputs of different runs mixed?)"
        case .missingRecord(let input, let line, let key):
            return "\(input):\(line): id \"\(Self.shown(key))\" is in no shard output (a shard missed it): rerun the shards, then merge"
        case .extraRecord(let path, let line, let key):
            return "\(path):\(line): id \"\(Self.shown(key))\" is duplicated or not in the input (more records than the input has): not merged"
        case .tooLarge(let path, let reason):
            return "\(path): \(reason)"
        }
    }

    public var description: String { message }

    /// A bad line's key (`\u{1}input:line`) as a person reads it.
    private static func shown(_ key: String) -> String {
        key.hasPrefix("\u{1}") ? "line " + key.dropFirst() : key
    }
}
