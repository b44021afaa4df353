// scikit-learn's `MiniBatchKMeans` steps: seeding on 3·batch random rows, batches drawn with
// replacement, per-center learning rates from counts, reassignment of starved centers, and the
// early stop when the smoothed batch inertia has not improved for 10 steps.
import Records

extension KMeans {
    func miniBatch(_ rows: UnsafePointer<Float>, n: Int, d: Int, k: Int) -> KMeansResult {
        var generator = SplitMix64(seed: seed)
        let batch = min(batchSize, n)
        let initSize = min(n, max(3 * batchSize, 3 * k))
        let initIndices = (0..<initSize).map { _ in generator.index(below: n) }
        var centers = KMeansPlusPlus.centers(rows, indices: initIndices, k: k, d: d, generator: &generator)
        var weightSums = [Double](repeating: 0, count: k)
        var stop = EarlyStop(batch: batch, rows: n)
        let steps = (maxIterations ?? 100) * n / batch
        var sinceReassign = 0
        var step = 0
        while step < max(steps, 1) {
            step += 1
            let indices = (0..<batch).map { _ in generator.index(below: n) }
            sinceReassign += batch
            let reassign = weightSums.contains(0) || sinceReassign >= 10 * k
            if reassign { sinceReassign = 0 }
            let assignment = NearestCenter.assign(rows, indices: indices, count: batch, centers: centers, k: k, d: d)
            update(&centers, weightSums: &weightSums, rows: rows, indices: indices, labels: assignment.labels, d: d)
            if reassign {
                reassignStarved(&centers, weightSums: &weightSums, rows: rows, batch: indices, d: d, generator: &generator)
            }
            let inertia = assignment.squaredDistances.reduce(0.0) { $0 + Double($1) }
            if stop.shouldStop(step: step, batchInertia: inertia / Double(batch)) { break }
        }
        let final = NearestCenter.assign(rows, indices: nil, count: n, centers: centers, k: k, d: d)
        return KMeansResult(labels: final.labels, centers: centers, dimensions: d,
                            inertia: final.squaredDistances.reduce(0.0) { $0 + Double($1) }, iterations: step)
    }

    /// Each center moves to the weighted mean of its old position (weight: points seen so far)
    /// and this batch's members.
    private func update(_ centers: inout [Float], weightSums: inout [Double], rows: UnsafePointer<Float>,
                        indices: [Int], labels: [Int], d: Int) {
        var members = [[Int]](repeating: [], count: weightSums.count)
        for (i, label) in labels.enumerated() { members[label].append(indices[i]) }
        for (c, rowsOfCenter) in members.enumerated() where !rowsOfCenter.isEmpty {
            let oldWeight = weightSums[c]
            let newWeight = oldWeight + Double(rowsOfCenter.count)
            for j in 0..<d {
                var sum = Double(centers[c * d + j]) * oldWeight
                for row in rowsOfCenter { sum += Double(rows[row * d + j]) }
                centers[c * d + j] = Float(sum / newWeight)
            }
            weightSums[c] = newWeight
        }
    }

    /// Centers that have seen under 1% of the busiest one's points move to random batch rows.
    private func reassignStarved(_ centers: inout [Float], weightSums: inout [Double], rows: UnsafePointer<Float>,
                                 batch: [Int], d: Int, generator: inout SplitMix64) {
        let threshold = 0.01 * (weightSums.max() ?? 0)
        var starved = weightSums.indices.filter { weightSums[$0] < threshold }
        if starved.count * 2 > batch.count {
            let keep = Set(weightSums.indices.sorted { weightSums[$0] < weightSums[$1] }.dropFirst(batch.count / 2))
            starved.removeAll { keep.contains($0) }
        }
        guard !starved.isEmpty else { return }
        let starvedSet = Set(starved)
        let floor = weightSums.indices.filter { !starvedSet.contains($0) }.map { weightSums[$0] }.min() ?? 0
        var pool = Array(batch.indices)
        for c in starved {
            let pick = pool.remove(at: generator.index(below: pool.count))
            let row = batch[pick]
            for j in 0..<d { centers[c * d + j] = rows[row * d + j] }
            weightSums[c] = floor
        }
    }
}

/// scikit-learn's `_mini_batch_convergence` without the center tolerance (tol 0 by default).
struct EarlyStop {
    let alpha: Double
    var smoothed: Double?
    var best: Double?
    var noImprovement = 0
    let patience = 10

    init(batch: Int, rows: Int) {
        alpha = min(Double(batch) * 2 / Double(rows + 1), 1)
    }

    mutating func shouldStop(step: Int, batchInertia: Double) -> Bool {
        guard step > 1 else { return false }
        let current = smoothed.map { $0 * (1 - alpha) + batchInertia * alpha } ?? batchInertia
        smoothed = current
        if best == nil || current < best! {
            noImprovement = 0
            best = current
        } else {
            noImprovement += 1
        }
        return noImprovement >= patience
    }
}
