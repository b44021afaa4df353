// The minimum spanning tree of the mutual-reachability graph, max(core(a), core(b), d(a, b)), by
// Prim's algorithm on the implicit dense graph as scikit-learn's `mst_from_data_matrix` (the same
// edges, ties to the lowest row): O(n) memory, never an n × n matrix. Each step would compare
// the newest tree row with every other row; here a whole cell is passed over when a lower bound
// of its edges (core distances, the triangle inequality at its pivot, the projected distance)
// cannot beat the best edge any of its rows already has, and a row likewise, so most of the
// O(n²) distances are never computed.

struct SpanningEdge: Sendable {
    var from: Int
    var to: Int
    var weight: Float
}

enum MutualReachabilityTree {
    /// A row's best edge to the tree so far, ordered by weight then row (scikit-learn's ties).
    struct Candidate {
        var weight: Float
        var row: Int
        static let none = Candidate(weight: .infinity, row: .max)
        @inline(__always) func beats(_ other: Candidate) -> Bool {
            weight < other.weight || (weight == other.weight && row < other.row)
        }
    }

    static func edges(_ rows: UnsafePointer<Float>, n: Int, d: Int, core: [Float], partition: CellPartition,
                      projection: Projection) -> [SpanningEdge] {
        guard n > 1 else { return [] }
        let m = partition.cellCount, width = projection.width
        var reach = [Float](repeating: .infinity, count: n)
        var source = [Int32](repeating: 0, count: n)
        // Per cell: rows not yet in the tree (position of each row in its list kept for removal),
        // the largest and the smallest best edge among them, and bounds that hold for every row.
        var remaining = partition.members
        var position = [Int32](repeating: 0, count: n)
        var cellOf = [Int32](repeating: 0, count: n)
        for (cell, members) in remaining.enumerated() {
            for (index, row) in members.enumerated() {
                position[row] = Int32(index)
                cellOf[row] = Int32(cell)
            }
        }
        var largestReach = [Float](repeating: .infinity, count: m)
        var smallest = [Candidate](repeating: .none, count: m)
        let smallestCore = partition.members.map { $0.map { core[$0] }.min() ?? .infinity }
        var projectedRadius = [Float](repeating: 0, count: m)
        projection.coordinates.withUnsafeBufferPointer { projected in
            guard let coordinates = projected.baseAddress else { return }
            for cell in 0..<m {
                let pivot = partition.pivots[cell]
                projectedRadius[cell] = partition.members[cell].reduce(0) {
                    max($0, Distance.euclidean(coordinates + $1 * width, coordinates + pivot * width, width))
                }
            }
        }
        var edges: [SpanningEdge] = []
        edges.reserveCapacity(n - 1)
        var current = 0
        core.withUnsafeBufferPointer { coreBuffer in
        reach.withUnsafeMutableBufferPointer { reachBuffer in
        source.withUnsafeMutableBufferPointer { sourceBuffer in
        partition.distanceToCenter.withUnsafeBufferPointer { toCenterBuffer in
        projection.coordinates.withUnsafeBufferPointer { projectedBuffer in
        partition.centers.withUnsafeBufferPointer { centerBuffer in
        largestReach.withUnsafeMutableBufferPointer { largestBuffer in
        smallest.withUnsafeMutableBufferPointer { smallestBuffer in
        remaining.withUnsafeMutableBufferPointer { remainingBuffer in
            let coreOf = coreBuffer.baseAddress!, reach = reachBuffer.baseAddress!, from = sourceBuffer.baseAddress!
            let toCenter = toCenterBuffer.baseAddress!, centers = centerBuffer.baseAddress!
            let coordinates = projectedBuffer.baseAddress ?? UnsafePointer(reach)
            let largest = largestBuffer.baseAddress!, best = smallestBuffer.baseAddress!
            let cells = remainingBuffer.baseAddress!
            for _ in 1..<n {
                // Take `current` out of its cell.
                let home = Int(cellOf[current])
                let last = cells[home].removeLast()
                if last != current {
                    cells[home][Int(position[current])] = last
                    position[last] = position[current]
                }
                reach[current] = -1
                let point = rows + current * d
                let currentCore = coreOf[current]
                ParallelRange.forEach(count: m, minimumPiece: 8) { range in
                    for cell in range where !cells[cell].isEmpty {
                        let floor = max(currentCore, smallestCore[cell])
                        if floor * Bounds.slack >= largest[cell] && cell != home { continue }
                        let projected = Projection.bound(coordinates, current, partition.pivots[cell], width: width) - projectedRadius[cell]
                        if projected >= largest[cell] && cell != home { continue }
                        let toPivot = Distance.euclidean(point, centers + cell * d, d)
                        if (toPivot - partition.radius[cell]) * Bounds.slack >= largest[cell] && cell != home { continue }
                        var cellLargest: Float = 0
                        var cellBest = Candidate.none
                        for j in cells[cell] {
                            let old = reach[j]
                            let floor = max(currentCore, coreOf[j])
                            if floor < old
                                && abs(toPivot - toCenter[j]) * Bounds.slack < old
                                && Projection.bound(coordinates, current, j, width: width) < old {
                                let weight = max(floor, Distance.euclidean(point, rows + j * d, d))
                                if weight < old {
                                    reach[j] = weight
                                    from[j] = Int32(current)
                                }
                            }
                            let value = reach[j]
                            cellLargest = max(cellLargest, value)
                            let candidate = Candidate(weight: value, row: j)
                            if candidate.beats(cellBest) { cellBest = candidate }
                        }
                        largest[cell] = cellLargest
                        best[cell] = cellBest
                    }
                }
                var next = Candidate.none
                for cell in 0..<m where !cells[cell].isEmpty && best[cell].beats(next) { next = best[cell] }
                edges.append(SpanningEdge(from: Int(from[next.row]), to: next.row, weight: next.weight))
                current = next.row
            }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        return edges
    }
}
