// Every row's coordinates in a few orthonormal directions (the span of some pivot rows around
// their mean). An orthogonal projection never lengthens a vector, so the distance of two
// projected rows is a lower bound of their true distance at a small fraction of its cost: the
// neighbour search and the spanning tree skip most full distances with it, and stay exact.

struct Projection: Sendable {
    /// Directions kept (0 when the vectors are too narrow for a projection to pay).
    let width: Int
    /// n × width, row-major.
    let coordinates: [Float]

    init(_ rows: UnsafePointer<Float>, n: Int, d: Int, pivots: [Int]) {
        let wanted = d >= 32 ? min(64, d / 4, max(pivots.count - 1, 0)) : 0
        var mean = [Double](repeating: 0, count: d)
        for pivot in pivots { for j in 0..<d { mean[j] += Double(rows[pivot * d + j]) } }
        for j in 0..<d { mean[j] /= Double(max(pivots.count, 1)) }
        // Gram–Schmidt (twice, for orthogonality in floating point) on the centered pivots.
        var basis: [[Double]] = []
        for pivot in pivots where basis.count < wanted {
            var v = (0..<d).map { Double(rows[pivot * d + $0]) - mean[$0] }
            for _ in 0..<2 {
                for b in basis {
                    let dot = zip(v, b).reduce(0.0) { $0 + $1.0 * $1.1 }
                    for j in 0..<d { v[j] -= dot * b[j] }
                }
            }
            let norm = v.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-6 else { continue }
            basis.append(v.map { $0 / norm })
        }
        let width = basis.count
        let flat = basis.flatMap { $0.map(Float.init) }
        var coordinates = [Float](repeating: 0, count: n * width)
        if width > 0 {
            flat.withUnsafeBufferPointer { directions in
                coordinates.withUnsafeMutableBufferPointer { out in
                    let base = out.baseAddress!, axes = directions.baseAddress!
                    ParallelRange.forEach(count: n, minimumPiece: 256) { range in
                        for i in range {
                            for a in 0..<width { base[i * width + a] = Distance.dot(rows + i * d, axes + a * d, d) }
                        }
                    }
                }
            }
        }
        self.width = width
        self.coordinates = coordinates
    }

    /// A lower bound of the distance of rows `a` and `b` (0 without directions).
    @inline(__always)
    static func bound(_ coordinates: UnsafePointer<Float>, _ a: Int, _ b: Int, width: Int) -> Float {
        width == 0 ? 0 : Distance.euclidean(coordinates + a * width, coordinates + b * width, width) * Bounds.slack
    }
}

/// Bounds are shrunk by this factor before they skip a distance, so float rounding (in sums of
/// hundreds of products) can only cost a needless distance, never skip a needed one.
enum Bounds {
    static let slack: Float = 1 - 1e-4
}
