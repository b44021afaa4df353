// A one-level ball partition of the rows (cells around random pivot rows), so nearest-neighbour
// searches can skip whole cells by the triangle inequality: d(q, x) ≥ d(q, c) − radius(c).
import Records

struct CellPartition: Sendable {
    let centers: [Float]
    /// The row each cell's center is.
    let pivots: [Int]
    let cellCount: Int
    /// Rows of each cell, nearest to the pivot first.
    let members: [[Int]]
    /// Each row's distance to its cell's pivot, and the largest per cell.
    let distanceToCenter: [Float]
    let radius: [Float]

    init(_ rows: UnsafePointer<Float>, n: Int, d: Int, seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let m = min(n, max(1, min(1024, Int(Double(n).squareRoot()))))
        var pool = Array(0..<n)
        var centers = [Float](repeating: 0, count: m * d)
        for c in 0..<m {
            pool.swapAt(c, c + generator.index(below: n - c))
            for j in 0..<d { centers[c * d + j] = rows[pool[c] * d + j] }
        }
        let assignment = NearestCenter.assign(rows, indices: nil, count: n, centers: centers, k: m, d: d)
        let distances = assignment.squaredDistances.map { $0.squareRoot() }
        var members = [[Int]](repeating: [], count: m)
        var radius = [Float](repeating: 0, count: m)
        for i in 0..<n {
            members[assignment.labels[i]].append(i)
            radius[assignment.labels[i]] = max(radius[assignment.labels[i]], distances[i])
        }
        for c in 0..<m { members[c].sort { distances[$0] < distances[$1] } }
        self.centers = centers
        self.pivots = Array(pool.prefix(m))
        self.cellCount = m
        self.members = members
        self.distanceToCenter = distances
        self.radius = radius
    }

    /// Distances from `point` to every pivot, into `out` (cellCount wide).
    @inline(__always)
    func centerDistances(_ point: UnsafePointer<Float>, d: Int, into out: UnsafeMutablePointer<Float>) {
        centers.withUnsafeBufferPointer { buffer in
            for c in 0..<cellCount { out[c] = Distance.euclidean(point, buffer.baseAddress! + c * d, d) }
        }
    }
}
