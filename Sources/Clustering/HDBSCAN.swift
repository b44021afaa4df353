// HDBSCAN as scikit-learn's `sklearn.cluster.HDBSCAN` (euclidean, eom, allow_single_cluster
// false): core distances, the mutual-reachability spanning tree, single linkage, the condensed
// tree and excess-of-mass selection. Memory: the vectors plus O(n) arrays; never n × n.

/// Hierarchical density-based clustering of the rows of a `VectorMatrix`.
public struct HDBSCAN: Sendable {
    public var minClusterSize: Int
    /// Neighbours for the core distance, the row itself counted (scikit-learn's meaning).
    public var minSamples: Int
    /// Seeds the pivots of the search partition; the labels do not depend on it.
    public var seed: UInt64 = 42

    public init(minClusterSize: Int, minSamples: Int? = nil) {
        self.minClusterSize = minClusterSize
        self.minSamples = minSamples ?? minClusterSize
    }

    /// The reference's parameters: min_cluster_size = max(5, configured), min_samples =
    /// configured or, when auto, max(5, √n).
    public static func reference(rows: Int, minClusterSize: Int, minSamples: Int?) -> HDBSCAN {
        HDBSCAN(minClusterSize: max(5, minClusterSize),
                minSamples: minSamples ?? max(5, Int(Double(rows).squareRoot())))
    }

    /// Labels 0… per row, −1 for noise. Throws when there are too few rows for `minSamples`.
    public func fit(_ matrix: VectorMatrix) throws -> [Int] {
        let n = matrix.count
        guard minClusterSize >= 2 else { throw ClusteringError.invalidParameter("min_cluster_size must be at least 2") }
        guard minSamples >= 1 else { throw ClusteringError.invalidParameter("min_samples must be at least 1") }
        guard n > 1 else { throw ClusteringError.tooFewRows(rows: n, needed: 2) }
        guard minSamples <= n else { throw ClusteringError.tooFewRows(rows: n, needed: minSamples) }
        let merges: [Merge] = matrix.withRows { rows in
            let partition = CellPartition(rows, n: n, d: matrix.dimensions, seed: seed)
            let projection = Projection(rows, n: n, d: matrix.dimensions, pivots: partition.pivots)
            let core = CoreDistances.compute(rows, n: n, d: matrix.dimensions, k: minSamples, partition: partition,
                                             projection: projection)
            let edges = MutualReachabilityTree.edges(rows, n: n, d: matrix.dimensions, core: core, partition: partition,
                                                     projection: projection)
            return SingleLinkage.merges(edges, n: n)
        }
        return ClusterSelection.labels(CondensedTree(merges: merges, n: n, minClusterSize: minClusterSize))
    }
}
