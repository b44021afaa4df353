// The vectors to cluster: one row-major float32 buffer, n × d, the only memory that grows with n·d.

/// `count` rows of `dimensions` float32 values, row-major.
public struct VectorMatrix: Sendable {
    public let count: Int
    public let dimensions: Int
    public private(set) var values: [Float]

    /// `values.count` must be `count * dimensions`.
    public init(count: Int, dimensions: Int, values: [Float]) {
        precondition(values.count == count * dimensions, "matrix size does not match its values")
        self.count = count
        self.dimensions = dimensions
        self.values = values
    }

    /// Builds the matrix from rows of equal length.
    public init(rows: [[Float]]) {
        let dimensions = rows.first?.count ?? 0
        var values: [Float] = []
        values.reserveCapacity(rows.count * dimensions)
        for row in rows {
            precondition(row.count == dimensions, "rows of different lengths")
            values += row
        }
        self.init(count: rows.count, dimensions: dimensions, values: values)
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * dimensions ..< (index + 1) * dimensions]
    }

    /// Scales every row to unit length (rows of zeros stay zero): euclidean distance on the
    /// result orders pairs as cosine distance does (‖a − b‖² = 2 − 2·cos).
    public mutating func normaliseRows() {
        let d = dimensions
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<count {
                let start = buffer.baseAddress! + row * d
                let norm = Distance.dot(start, start, d).squareRoot()
                guard norm > 0 else { continue }
                for j in 0..<d { start[j] /= norm }
            }
        }
    }

    /// Runs `body` with a pointer to the rows.
    func withRows<Result>(_ body: (UnsafePointer<Float>) throws -> Result) rethrows -> Result {
        try values.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
