// The cluster tool's parameters as plain values: method, metric and the reference's
// `clustering.*` numbers, where `auto` means the reference's rule for n rows.
import Clustering

/// `--method`: the reference's `clustering.mode`; auto is HDBSCAN, as the reference when it has it.
public enum ClusterMethod: String, CaseIterable, Sendable, LosslessStringConvertible {
    case auto, hdbscan, kmeans
    public init?(_ description: String) { self.init(rawValue: description) }
    public var description: String { rawValue }
}

/// `--metric`: euclidean as the reference, or cosine (euclidean on unit vectors).
public enum ClusterMetric: String, CaseIterable, Sendable, LosslessStringConvertible {
    case euclidean, cosine
    public init?(_ description: String) { self.init(rawValue: description) }
    public var description: String { rawValue }
}

/// A count that may be `auto` in config.yaml (`kmeans_k: auto`, `min_samples: auto`).
public enum AutoCount: Sendable, Equatable, LosslessStringConvertible {
    case auto
    case count(Int)

    public init?(_ description: String) {
        if description == "auto" {
            self = .auto
        } else if let value = Int(description), value >= 1 {
            self = .count(value)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .count(let value): return "\(value)"
        }
    }

    var value: Int? {
        if case .count(let value) = self { return value }
        return nil
    }
}

public struct ClusterSettings: Sendable {
    public var method: ClusterMethod = .auto
    public var metric: ClusterMetric = .euclidean
    public var kmeansK: AutoCount = .auto
    /// The reference's default 15; HDBSCAN uses max(5, this).
    public var minClusterSize = 15
    public var minSamples: AutoCount = .auto
    public var maxFeatures: Int? = 3000
    public var keywords = 10
    public var examples = 12

    public init() {}

    /// What runs on `rows` vectors, in words for the log and summary.
    public func algorithm(rows: Int) -> ClusteringAlgorithm {
        switch method {
        case .kmeans:
            return .kmeans(KMeans(clusterCount: kmeansK.value ?? KMeans.defaultClusterCount(rows: rows)))
        case .auto, .hdbscan:
            return .hdbscan(HDBSCAN.reference(rows: rows, minClusterSize: minClusterSize, minSamples: minSamples.value))
        }
    }
}

public enum ClusteringAlgorithm: Sendable, CustomStringConvertible {
    case kmeans(KMeans)
    case hdbscan(HDBSCAN)

    public var description: String {
        switch self {
        case .kmeans(let kmeans): return "k-means (k = \(kmeans.clusterCount))"
        case .hdbscan(let hdbscan):
            return "HDBSCAN (min_cluster_size \(hdbscan.minClusterSize), min_samples \(hdbscan.minSamples))"
        }
    }

    func labels(_ matrix: VectorMatrix) throws -> [Int] {
        switch self {
        case .kmeans(let kmeans): return kmeans.fit(matrix).labels
        case .hdbscan(let hdbscan): return try hdbscan.fit(matrix)
        }
    }
}
