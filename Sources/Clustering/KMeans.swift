// k-means with a fixed seed: k-means++ seeding, then Lloyd iterations (small n) or scikit-learn's
// mini-batch updates (large n), which the reference tool uses with random_state 42, batch 2048.
import Records

/// k-means clustering of the rows of a `VectorMatrix`.
public struct KMeans: Sendable {
    public enum Algorithm: Sendable {
        /// Lloyd up to `lloydLimit` rows, mini-batch above.
        case automatic
        case lloyd
        case miniBatch
    }

    public var clusterCount: Int
    public var seed: UInt64 = 42
    public var batchSize = 2048
    public var algorithm: Algorithm = .automatic
    /// Rows up to which `.automatic` runs Lloyd: there a full pass costs about as much as the
    /// mini-batches' hundred epochs would, and converges to a better optimum.
    public var lloydLimit = 10_000
    /// Lloyd: iterations; mini-batch: epochs (passes over n rows in batches), as scikit-learn.
    public var maxIterations: Int?

    public init(clusterCount: Int, algorithm: Algorithm = .automatic, seed: UInt64 = 42) {
        self.clusterCount = clusterCount
        self.algorithm = algorithm
        self.seed = seed
    }

    /// The reference's k when `clustering.kmeans_k` is auto: round(√n) within [2, 1000].
    public static func defaultClusterCount(rows: Int) -> Int {
        min(max(Int(Double(rows).squareRoot().rounded(.toNearestOrEven)), 2), 1000)
    }

    public func fit(_ matrix: VectorMatrix) -> KMeansResult {
        precondition(matrix.count > 0, "k-means needs at least one row")
        let k = min(max(clusterCount, 1), matrix.count)
        let useLloyd: Bool
        switch algorithm {
        case .automatic: useLloyd = matrix.count <= lloydLimit
        case .lloyd: useLloyd = true
        case .miniBatch: useLloyd = false
        }
        return matrix.withRows { rows in
            useLloyd ? lloyd(rows, n: matrix.count, d: matrix.dimensions, k: k)
                : miniBatch(rows, n: matrix.count, d: matrix.dimensions, k: k)
        }
    }

    /// scikit-learn's `KMeans` (n_init 1, tol 1e-4 of the mean feature variance).
    private func lloyd(_ rows: UnsafePointer<Float>, n: Int, d: Int, k: Int) -> KMeansResult {
        var generator = SplitMix64(seed: seed)
        var centers = KMeansPlusPlus.centers(rows, indices: Array(0..<n), k: k, d: d, generator: &generator)
        let tolerance = 1e-4 * meanVariance(rows, n: n, d: d)
        var labels: [Int] = []
        var iterations = 0
        while iterations < (maxIterations ?? 300) {
            iterations += 1
            let assignment = NearestCenter.assign(rows, indices: nil, count: n, centers: centers, k: k, d: d)
            let newCenters = Self.means(rows, labels: assignment.labels, distances: assignment.squaredDistances,
                                        old: centers, k: k, d: d)
            var shift = 0.0
            for i in 0..<(k * d) {
                let delta = Double(newCenters[i] - centers[i])
                shift += delta * delta
            }
            centers = newCenters
            if assignment.labels == labels {
                break
            }
            labels = assignment.labels
            if shift <= tolerance { break }
        }
        let final = NearestCenter.assign(rows, indices: nil, count: n, centers: centers, k: k, d: d)
        return KMeansResult(labels: final.labels, centers: centers, dimensions: d,
                            inertia: final.squaredDistances.reduce(0.0) { $0 + Double($1) }, iterations: iterations)
    }

    /// Member means; an empty cluster takes the point farthest from its center (scikit-learn
    /// relocates empty clusters the same way).
    static func means(_ rows: UnsafePointer<Float>, labels: [Int], distances: [Float], old: [Float], k: Int, d: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for (i, label) in labels.enumerated() {
            counts[label] += 1
            let row = rows + i * d
            for j in 0..<d { sums[label * d + j] += Double(row[j]) }
        }
        var centers = old
        var farthest = labels.indices.sorted { distances[$0] > distances[$1] }.makeIterator()
        for c in 0..<k {
            if counts[c] == 0 {
                guard let point = farthest.next() else { continue }
                for j in 0..<d { centers[c * d + j] = rows[point * d + j] }
            } else {
                for j in 0..<d { centers[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
            }
        }
        return centers
    }

    private func meanVariance(_ rows: UnsafePointer<Float>, n: Int, d: Int) -> Double {
        var total = 0.0
        for j in 0..<d {
            var sum = 0.0, squares = 0.0
            for i in 0..<n {
                let value = Double(rows[i * d + j])
                sum += value
                squares += value * value
            }
            let mean = sum / Double(n)
            total += max(0, squares / Double(n) - mean * mean)
        }
        return total / Double(d)
    }
}

/// Labels (0..<k) per row, the centers and the sum of squared distances to them.
public struct KMeansResult: Sendable {
    public let labels: [Int]
    public let centers: [Float]
    public let dimensions: Int
    public let inertia: Double
    public let iterations: Int
}
