// BatchEmbedResponse: the vectors of a batchEmbedContents answer, one per text in request
// order, checked (count, size, finite values) and L2-normalised again when they were truncated
// below the model's full size (Google's advice for Matryoshka truncation).
import Records

public struct BatchEmbedResponse: Sendable, Equatable {
    public var vectors: [[Float]]
    /// The project's emulator answered (`"emulator": true`), not a model.
    public var emulated: Bool

    /// Why an answer with HTTP 200 cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads an answer's bytes: the common shape straight from the bytes (VectorScanner),
    /// anything else through JSONParser.
    public init(bytes: [UInt8], request: BatchEmbedRequest) throws(Problem) {
        if let scanned = VectorScanner.vectors(in: bytes) {
            try self.init(vectors: scanned.vectors, request: request, emulated: scanned.emulated)
            return
        }
        guard let json = try? JSONParser.parse(bytes) else { throw Problem(description: "the answer was not JSON") }
        try self.init(json: json, request: request)
    }

    /// Reads `{"embeddings": [{"values": [...]}, ...]}` for `request`.
    public init(json: JSONValue, request: BatchEmbedRequest) throws(Problem) {
        guard let embeddings = json["embeddings"]?.arrayValue else {
            throw Problem(description: "the answer has no embeddings")
        }
        var vectors: [[Float]] = []
        for (index, embedding) in embeddings.enumerated() {
            let values = embedding["values"]?.arrayValue ?? []
            var vector = [Float](repeating: 0, count: values.count)
            for (i, value) in values.enumerated() {
                guard let number = value.doubleValue else {
                    throw Problem(description: "embedding \(index) value \(i) is not a finite number")
                }
                vector[i] = Float(number)
            }
            vectors.append(vector)
        }
        try self.init(vectors: vectors, request: request, emulated: json["emulator"]?.boolValue == true)
    }

    /// Checks the vectors against the request (one per text, of the size asked for, finite)
    /// and normalises truncated ones.
    init(vectors: [[Float]], request: BatchEmbedRequest, emulated: Bool) throws(Problem) {
        guard vectors.count == request.texts.count else {
            throw Problem(description: "\(vectors.count) embeddings for \(request.texts.count) texts")
        }
        let expected = request.model.dimensions(requested: request.dimensions)
        let normalise = request.model.isTruncated(dimensions: request.dimensions)
        for (index, vector) in vectors.enumerated() {
            guard !vector.isEmpty else { throw Problem(description: "embedding \(index) has no values") }
            if let expected, vector.count != expected {
                throw Problem(description: "embedding \(index) has \(vector.count) values, not \(expected)")
            }
            if let i = vector.firstIndex(where: { !$0.isFinite }) {
                throw Problem(description: "embedding \(index) value \(i) is not a finite number")
            }
        }
        self.vectors = normalise ? vectors.map(Self.unitLength) : vectors
        self.emulated = emulated
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
