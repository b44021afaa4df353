// Vectors with known structure for clustering tests: Gaussian blobs of chosen sizes and spreads
// plus uniform noise, from SplitMix64 and Box–Muller in a fixed draw order, so
// Tests/ClusteringTests/make_reference.py regenerates the same float32 values for scikit-learn.
import Clustering
import Records

public struct GaussianBlobs: Sendable {
    public struct Blob: Sendable {
        public let count: Int
        public let spread: Double
        public init(_ count: Int, spread: Double) {
            self.count = count
            self.spread = spread
        }
    }

    public let dimensions: Int
    /// Rows: every blob's points in order, then the noise points.
    public let rows: [[Float]]
    /// The blob of each row, −1 for noise.
    public let truth: [Int]

    /// Centers uniform in [−10, 10]^d, points center + spread · N(0, 1), noise uniform in
    /// [−14, 14]^d; draws in exactly this order.
    public init(seed: UInt64, dimensions: Int, blobs: [Blob], noise: Int) {
        var generator = SplitMix64(seed: seed)
        let centers = blobs.map { _ in (0..<dimensions).map { _ in -10 + 20 * generator.uniform() } }
        var rows: [[Float]] = []
        var truth: [Int] = []
        for (index, blob) in blobs.enumerated() {
            for _ in 0..<blob.count {
                rows.append(centers[index].map { Float($0 + blob.spread * generator.normal()) })
                truth.append(index)
            }
        }
        for _ in 0..<noise {
            rows.append((0..<dimensions).map { _ in Float(-14 + 28 * generator.uniform()) })
            truth.append(-1)
        }
        self.dimensions = dimensions
        self.rows = rows
        self.truth = truth
    }

    public var matrix: VectorMatrix { VectorMatrix(rows: rows) }
}
