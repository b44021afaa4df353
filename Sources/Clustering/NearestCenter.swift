// The assignment step of k-means: each point's nearest center and its squared distance, as
// ‖x‖² + ‖c‖² − 2·x·c (scikit-learn's form), two points against two centers at a time so each
// loaded vector serves two dot products.

enum NearestCenter {
    /// Labels and squared distances of the rows `indices` (all rows when nil), in parallel.
    static func assign(_ rows: UnsafePointer<Float>, indices: [Int]?, count: Int, centers: [Float], k: Int, d: Int)
        -> (labels: [Int], squaredDistances: [Float]) {
        var labels = [Int](repeating: 0, count: count)
        var distances = [Float](repeating: 0, count: count)
        centers.withUnsafeBufferPointer { centerBuffer in
            let centerBase = centerBuffer.baseAddress!
            let centerNorms = (0..<k).map { Distance.dot(centerBase + $0 * d, centerBase + $0 * d, d) }
            labels.withUnsafeMutableBufferPointer { labelBuffer in
                distances.withUnsafeMutableBufferPointer { distanceBuffer in
                    let labelBase = labelBuffer.baseAddress!, distanceBase = distanceBuffer.baseAddress!
                    ParallelRange.forEach(count: count, minimumPiece: 32) { range in
                        var i = range.lowerBound
                        while i < range.upperBound {
                            let pair = i + 1 < range.upperBound
                            let a = rows + (indices?[i] ?? i) * d
                            let b = pair ? rows + (indices?[i + 1] ?? i + 1) * d : a
                            let (first, second) = nearestOfTwo(a, b, centers: centerBase, norms: centerNorms, k: k, d: d)
                            labelBase[i] = first.label
                            distanceBase[i] = first.squaredDistance
                            if pair {
                                labelBase[i + 1] = second.label
                                distanceBase[i + 1] = second.squaredDistance
                            }
                            i += 2
                        }
                    }
                }
            }
        }
        return (labels, distances)
    }

    typealias Nearest = (label: Int, squaredDistance: Float)

    /// The nearest centers of `a` and `b` (lowest index on ties).
    @inline(__always)
    static func nearestOfTwo(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, centers: UnsafePointer<Float>,
                             norms: [Float], k: Int, d: Int) -> (Nearest, Nearest) {
        let normA = Distance.dot(a, a, d), normB = Distance.dot(b, b, d)
        var bestA: Nearest = (0, .infinity), bestB: Nearest = (0, .infinity)
        var c = 0
        while c < k {
            let pair = c + 1 < k
            let x = centers + c * d, y = pair ? centers + (c + 1) * d : x
            let dots = dotTwoByTwo(a, b, x, y, d)
            let ax = max(0, normA + norms[c] - 2 * dots.ax), bx = max(0, normB + norms[c] - 2 * dots.bx)
            if ax < bestA.squaredDistance { bestA = (c, ax) }
            if bx < bestB.squaredDistance { bestB = (c, bx) }
            if pair {
                let ay = max(0, normA + norms[c + 1] - 2 * dots.ay), by = max(0, normB + norms[c + 1] - 2 * dots.by)
                if ay < bestA.squaredDistance { bestA = (c + 1, ay) }
                if by < bestB.squaredDistance { bestB = (c + 1, by) }
            }
            c += 2
        }
        return (bestA, bestB)
    }

    /// a·x, a·y, b·x, b·y in one pass over the four vectors.
    @inline(__always)
    static func dotTwoByTwo(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                            _ y: UnsafePointer<Float>, _ d: Int) -> (ax: Float, ay: Float, bx: Float, by: Float) {
        var ax = SIMD8<Float>(), ay = SIMD8<Float>(), bx = SIMD8<Float>(), by = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var j = 0
        while j + 8 <= d {
            let o = j * 4
            let va = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let vb = rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let vx = rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let vy = ry.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            ax += va * vx; ay += va * vy; bx += vb * vx; by += vb * vy
            j += 8
        }
        var sums = (ax: ax.sum(), ay: ay.sum(), bx: bx.sum(), by: by.sum())
        while j < d {
            sums.ax += a[j] * x[j]; sums.ay += a[j] * y[j]; sums.bx += b[j] * x[j]; sums.by += b[j] * y[j]
            j += 1
        }
        return sums
    }
}
