// The assignment step of k-means: each point's nearest center and its squared distance.

enum NearestCenter {
    /// The nearest of `k` centers (row-major, `d` wide) to `point`, lowest index on ties.
    @inline(__always)
    static func find(_ point: UnsafePointer<Float>, centers: UnsafePointer<Float>, k: Int, d: Int) -> (label: Int, squaredDistance: Float) {
        var best = 0
        var bestDistance = Float.infinity
        for c in 0..<k {
            let distance = Distance.squaredEuclidean(point, centers + c * d, d)
            if distance < bestDistance {
                bestDistance = distance
                best = c
            }
        }
        return (best, bestDistance)
    }

    /// Labels and squared distances of the rows `indices` (all rows when nil), in parallel.
    static func assign(_ rows: UnsafePointer<Float>, indices: [Int]?, count: Int, centers: [Float], k: Int, d: Int)
        -> (labels: [Int], squaredDistances: [Float]) {
        var labels = [Int](repeating: 0, count: count)
        var distances = [Float](repeating: 0, count: count)
        centers.withUnsafeBufferPointer { centerBuffer in
            labels.withUnsafeMutableBufferPointer { labelBuffer in
                distances.withUnsafeMutableBufferPointer { distanceBuffer in
                    let centerBase = centerBuffer.baseAddress!
                    let labelBase = labelBuffer.baseAddress!, distanceBase = distanceBuffer.baseAddress!
                    ParallelRange.forEach(count: count, minimumPiece: 32) { range in
                        for i in range {
                            let row = indices?[i] ?? i
                            let (label, distance) = find(rows + row * d, centers: centerBase, k: k, d: d)
                            labelBase[i] = label
                            distanceBase[i] = distance
                        }
                    }
                }
            }
        }
        return (labels, distances)
    }
}
