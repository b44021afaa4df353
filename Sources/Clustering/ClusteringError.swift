// What can stop a clustering run: parameters out of range, too few rows for them.

public enum ClusteringError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case tooFewRows(rows: Int, needed: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let message): return message
        case .tooFewRows(let rows, let needed):
            return "\(rows) vectors to cluster, at least \(needed) needed (lower --min-samples or give more records)"
        }
    }
}
