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
        // The candidates are compared with every sample row many times: a contiguous copy of the
        // sample stays in cache where scattered rows of a large matrix would not.
        var sample = [Float](repeating: 0, count: n * d)
        for (i, row) in indices.enumerated() { for j in 0..<d { sample[i * d + j] = rows[row * d + j] } }
        var centers = [Float](repeating: 0, count: k * d)
        let first = generator.index(below: n)
        for j in 0..<d { centers[j] = sample[first * d + j] }
        var closest = squaredDistances(sample, n: n, d: d, to: [first])[0]
        var potential = closest.reduce(0.0) { $0 + Double($1) }
        for c in 1..<k {
            let cumulative = prefixSums(closest)
            let candidates = (0..<trials).map { _ in min(searchSorted(cumulative, generator.uniform() * potential), n - 1) }
            var distances = squaredDistances(sample, n: n, d: d, to: candidates)
            var bestTrial = 0
            var bestPotential = Double.infinity
            for t in 0..<trials {
                var sum = 0.0
                for i in 0..<n {
                    distances[t][i] = min(distances[t][i], closest[i])
                    sum += Double(distances[t][i])
                }
                if sum < bestPotential {
                    bestPotential = sum
                    bestTrial = t
                }
            }
            potential = bestPotential
            closest = distances[bestTrial]
            for j in 0..<d { centers[c * d + j] = sample[candidates[bestTrial] * d + j] }
        }
        return centers
    }

    /// Squared distances of every sample row to each of the sample rows `targets`, one pass over
    /// the sample (each row read once for all targets).
    private static func squaredDistances(_ sample: [Float], n: Int, d: Int, to targets: [Int]) -> [[Float]] {
        var result = [Float](repeating: 0, count: targets.count * n)
        sample.withUnsafeBufferPointer { sampleBuffer in
            result.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!, rows = sampleBuffer.baseAddress!
                ParallelRange.forEach(count: n, minimumPiece: 256) { range in
                    for i in range {
                        for (t, target) in targets.enumerated() {
                            base[t * n + i] = Distance.squaredEuclidean(rows + i * d, rows + target * d, d)
                        }
                    }
                }
            }
        }
        return targets.indices.map { Array(result[$0 * n ..< ($0 + 1) * n]) }
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
