// BatchEmbedResponse: the vectors of a batchEmbedContents answer, one per text in request
// order, checked (count, size, finite values) and L2-normalised again when they were truncated
// below the model's full size (Google's advice for Matryoshka truncation).
import Records

public struct BatchEmbedResponse: Sendable, Equatable {
    public var vectors: [[Float]]

    /// Why an answer with HTTP 200 cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads `{"embeddings": [{"values": [...]}, ...]}` for `request`.
    public init(json: JSONValue, request: BatchEmbedRequest) throws(Problem) {
        guard let embeddings = json["embeddings"]?.arrayValue else {
            throw Problem(description: "the answer has no embeddings")
        }
        guard embeddings.count == request.texts.count else {
            throw Problem(description: "\(embeddings.count) embeddings for \(request.texts.count) texts")
        }
        let expected = request.model.dimensions(requested: request.dimensions)
        let normalise = request.model.isTruncated(dimensions: request.dimensions)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(embeddings.count)
        for (index, embedding) in embeddings.enumerated() {
            guard let values = embedding["values"]?.arrayValue, !values.isEmpty else {
                throw Problem(description: "embedding \(index) has no values")
            }
            if let expected, values.count != expected {
                throw Problem(description: "embedding \(index) has \(values.count) values, not \(expected)")
            }
            var vector = [Float](repeating: 0, count: values.count)
            for (i, value) in values.enumerated() {
                guard let number = value.doubleValue, number.isFinite else {
                    throw Problem(description: "embedding \(index) value \(i) is not a finite number")
                }
                vector[i] = Float(number)
            }
            vectors.append(normalise ? Self.unitLength(vector) : vector)
        }
        self.vectors = vectors
    }

    /// `vector` scaled to length 1 (unchanged when it is all zeros).
    public static func unitLength(_ vector: [Float]) -> [Float] {
        var sum: Double = 0
        for value in vector { sum += Double(value) * Double(value) }
        guard sum > 0 else { return vector }
        let scale = Float(1 / sum.squareRoot())
        return vector.map { $0 * scale }
    }
}
