// Core distances for HDBSCAN: each row's distance to its k-th nearest row, the row itself counted
// first (scikit-learn's `min_samples` semantics), exact, in O(n·k) memory.

enum CoreDistances {
    static func compute(_ rows: UnsafePointer<Float>, n: Int, d: Int, k: Int, partition: CellPartition,
                        projection: Projection) -> [Float] {
        var core = [Float](repeating: 0, count: n)
        let width = projection.width
        core.withUnsafeMutableBufferPointer { output in
        projection.coordinates.withUnsafeBufferPointer { projected in
            let out = output.baseAddress!, coordinates = projected.baseAddress ?? UnsafePointer(out)
            ParallelRange.forEach(count: n, minimumPiece: 16) { range in
                var centerDistance = [Float](repeating: 0, count: partition.cellCount)
                var heap = MaxHeap(capacity: k)
                var order = Array(0..<partition.cellCount)
                var bounds = [Float](repeating: 0, count: partition.cellCount)
                for q in range {
                    let point = rows + q * d
                    centerDistance.withUnsafeMutableBufferPointer { partition.centerDistances(point, d: d, into: $0.baseAddress!) }
                    for c in 0..<partition.cellCount { bounds[c] = centerDistance[c] - partition.radius[c] }
                    order.sort { bounds[$0] < bounds[$1] }
                    heap.removeAll()
                    for c in order {
                        if heap.isFull && bounds[c] * Bounds.slack >= heap.top { break }
                        let toCenter = centerDistance[c]
                        for x in partition.members[c] {
                            if heap.isFull {
                                if abs(toCenter - partition.distanceToCenter[x]) * Bounds.slack >= heap.top { continue }
                                if Projection.bound(coordinates, q, x, width: width) >= heap.top { continue }
                            }
                            heap.insert(Distance.euclidean(point, rows + x * d, d))
                        }
                    }
                    out[q] = heap.top
                }
            }
        }
        }
        return core
    }
}

/// The k smallest values seen, largest on top.
struct MaxHeap {
    let capacity: Int
    private(set) var values: [Float] = []

    init(capacity: Int) {
        self.capacity = capacity
        values.reserveCapacity(capacity)
    }

    var isFull: Bool { values.count == capacity }
    var top: Float { values.first ?? .infinity }

    mutating func removeAll() { values.removeAll(keepingCapacity: true) }

    mutating func insert(_ value: Float) {
        if values.count < capacity {
            values.append(value)
            var child = values.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard values[parent] < values[child] else { break }
                values.swapAt(parent, child)
                child = parent
            }
        } else if value < values[0] {
            values[0] = value
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < values.count && values[left] > values[largest] { largest = left }
                if right < values.count && values[right] > values[largest] { largest = right }
                if largest == parent { break }
                values.swapAt(parent, largest)
                parent = largest
            }
        }
    }
}
