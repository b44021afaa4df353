// Greedy k-means++ seeding as scikit-learn's `_kmeans_plusplus`: each new center is the best of
// 2 + ⌊ln k⌋ candidates drawn in proportion to the squared distance to the nearest center so far.
import Foundation
import Records

enum KMeansPlusPlus {
    /// `k` centers (row-major) chosen among the rows `indices` of `rows`.
    static func centers(_ rows: UnsafePointer<Float>, indices: [Int], k: Int, d: Int,
                        generator: inout SplitMix64) -> [Float] {
        let n = indices.count
        let trials = 2 + Int(log(Double(k)))
        var centers = [Float](repeating: 0, count: k * d)
        func copyCenter(_ c: Int, from row: Int) {
            for j in 0..<d { centers[c * d + j] = rows[row * d + j] }
        }
        let first = indices[generator.index(below: n)]
        copyCenter(0, from: first)
        var closest = squaredDistances(rows, indices: indices, to: first, d: d)
        var potential = closest.reduce(0.0) { $0 + Double($1) }
        var candidateDistances = [[Float]](repeating: [], count: trials)
        for c in 1..<k {
            let cumulative = prefixSums(closest)
            var candidates: [Int] = []
            for _ in 0..<trials {
                let target = generator.uniform() * potential
                candidates.append(min(searchSorted(cumulative, target), n - 1))
            }
            var bestTrial = 0
            var bestPotential = Double.infinity
            for (t, candidate) in candidates.enumerated() {
                var distances = squaredDistances(rows, indices: indices, to: indices[candidate], d: d)
                var sum = 0.0
                for i in 0..<n {
                    distances[i] = min(distances[i], closest[i])
                    sum += Double(distances[i])
                }
                candidateDistances[t] = distances
                if sum < bestPotential {
                    bestPotential = sum
                    bestTrial = t
                }
            }
            potential = bestPotential
            closest = candidateDistances[bestTrial]
            copyCenter(c, from: indices[candidates[bestTrial]])
        }
        return centers
    }

    private static func squaredDistances(_ rows: UnsafePointer<Float>, indices: [Int], to row: Int, d: Int) -> [Float] {
        var result = [Float](repeating: 0, count: indices.count)
        result.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            ParallelRange.forEach(count: indices.count, minimumPiece: 256) { range in
                for i in range { base[i] = Distance.squaredEuclidean(rows + indices[i] * d, rows + row * d, d) }
            }
        }
        return result
    }

    private static func prefixSums(_ values: [Float]) -> [Double] {
        var sums = [Double](repeating: 0, count: values.count)
        var running = 0.0
        for i in values.indices {
            running += Double(values[i])
            sums[i] = running
        }
        return sums
    }

    /// The first index whose prefix sum is at least `target` (NumPy's `searchsorted`, side left).
    private static func searchSorted(_ sums: [Double], _ target: Double) -> Int {
        var low = 0, high = sums.count
        while low < high {
            let middle = (low + high) / 2
            if sums[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
