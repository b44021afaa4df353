// The minimum spanning tree of the mutual-reachability graph, max(core(a), core(b), d(a, b)), by
// Prim's algorithm on the implicit dense graph as scikit-learn's `mst_from_data_matrix`: O(n²)
// distances but O(n) memory. A distance is skipped when a lower bound of the edge (the two core
// distances, the partition's triangle bound) already reaches the row's best edge to the tree.

struct SpanningEdge: Sendable {
    var from: Int
    var to: Int
    var weight: Float
}

enum MutualReachabilityTree {
    static func edges(_ rows: UnsafePointer<Float>, n: Int, d: Int, core: [Float], partition: CellPartition) -> [SpanningEdge] {
        guard n > 1 else { return [] }
        var minReach = [Float](repeating: .infinity, count: n)
        var source = [Int32](repeating: 0, count: n)
        // Rows not yet in the tree, in any order: ties are broken by row index as scikit-learn does.
        var remaining = Array(1..<n)
        var centerDistance = [Float](repeating: 0, count: partition.cellCount)
        var edges: [SpanningEdge] = []
        edges.reserveCapacity(n - 1)
        var current = 0
        var bests = [(value: Float, row: Int, position: Int)](repeating: (.infinity, Int.max, 0), count: ParallelRange.workers)
        let cells = partition.members.enumerated().reduce(into: [Int32](repeating: 0, count: n)) { cells, cell in
            for row in cell.element { cells[row] = Int32(cell.offset) }
        }
        core.withUnsafeBufferPointer { coreBuffer in
        minReach.withUnsafeMutableBufferPointer { reachBuffer in
        source.withUnsafeMutableBufferPointer { sourceBuffer in
        partition.distanceToCenter.withUnsafeBufferPointer { toCenterBuffer in
        cells.withUnsafeBufferPointer { cellBuffer in
            let coreOf = coreBuffer.baseAddress!, reach = reachBuffer.baseAddress!, from = sourceBuffer.baseAddress!
            let toCenter = toCenterBuffer.baseAddress!, cellOf = cellBuffer.baseAddress!
            while !remaining.isEmpty {
                let point = rows + current * d
                let currentCore = coreOf[current]
                centerDistance.withUnsafeMutableBufferPointer { partition.centerDistances(point, d: d, into: $0.baseAddress!) }
                let pieces = remaining.withUnsafeBufferPointer { remainingBuffer in
                    centerDistance.withUnsafeBufferPointer { centerBuffer in
                        bests.withUnsafeMutableBufferPointer { bestBuffer in
                            ParallelRange.perWorker(count: remainingBuffer.count) { piece, range in
                                var best: (value: Float, row: Int, position: Int) = (.infinity, Int.max, 0)
                                for position in range {
                                    let j = remainingBuffer[position]
                                    let old = reach[j]
                                    let floor = max(currentCore, coreOf[j])
                                    if floor < old {
                                        let bound = abs(centerBuffer[Int(cellOf[j])] - toCenter[j]) * CoreDistances.slack
                                        if bound < old {
                                            let weight = max(floor, Distance.euclidean(point, rows + j * d, d))
                                            if weight < old {
                                                reach[j] = weight
                                                from[j] = Int32(current)
                                            }
                                        }
                                    }
                                    let value = reach[j]
                                    if value < best.value || (value == best.value && j < best.row) { best = (value, j, position) }
                                }
                                bestBuffer[piece] = best
                            }
                        }
                    }
                }
                var best = bests[0]
                for piece in 1..<pieces where bests[piece].value < best.value || (bests[piece].value == best.value && bests[piece].row < best.row) {
                    best = bests[piece]
                }
                edges.append(SpanningEdge(from: Int(from[best.row]), to: best.row, weight: best.value))
                current = best.row
                remaining.swapAt(best.position, remaining.count - 1)
                remaining.removeLast()
            }
        }
        }
        }
        }
        }
        return edges
    }
}
