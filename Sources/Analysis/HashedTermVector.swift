// HashedTermVector: `embed --local tfidf`, a vector made with no model and no vocabulary, so
// every record is embedded on its own (streaming, resumable, shardable) and two datasets embedded
// apart still share one space: terms hashed (FNV-1a) into a fixed number of dimensions, sublinear
// tf (1 + ln tf), unit length — scikit-learn's HashingVectorizer with alternate_sign off.
// `cluster` then weights the dimensions by idf over all its input (TfidfTransformer).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum HashedTermVector {
    /// The name embed writes as `embedding_model` for these vectors.
    public static let modelName = "local-tfidf"
    /// Dimensions when none are asked for.
    public static let defaultDimensions = 1024

    public static func vector(terms: [String], dimensions: Int) -> [Float] {
        precondition(dimensions > 0)
        var counts = [Float](repeating: 0, count: dimensions)
        for term in terms { counts[Int(fnv1a(term) % UInt64(dimensions))] += 1 }
        var norm: Float = 0
        for i in counts.indices where counts[i] > 0 {
            counts[i] = 1 + logf(counts[i])
            norm += counts[i] * counts[i]
        }
        if norm > 0 {
            let scale = 1 / norm.squareRoot()
            for i in counts.indices { counts[i] *= scale }
        }
        return counts
    }

    /// Weights each dimension by smooth idf over `rows` (rows × dimensions, row-major) and scales
    /// every row back to unit length, in place: TF-IDF over the whole input.
    public static func applyIDF(_ rows: inout [Float], dimensions: Int) {
        guard dimensions > 0 else { return }
        let n = rows.count / dimensions
        var documents = [Int](repeating: 0, count: dimensions)
        for r in 0..<n {
            for d in 0..<dimensions where rows[r * dimensions + d] != 0 { documents[d] += 1 }
        }
        let idf = documents.map { Float(log((1 + Double(n)) / (1 + Double($0))) + 1) }
        for r in 0..<n {
            var norm: Float = 0
            for d in 0..<dimensions {
                rows[r * dimensions + d] *= idf[d]
                norm += rows[r * dimensions + d] * rows[r * dimensions + d]
            }
            guard norm > 0 else { continue }
            let scale = 1 / norm.squareRoot()
            for d in 0..<dimensions { rows[r * dimensions + d] *= scale }
        }
    }

    /// 64-bit FNV-1a of the term's UTF-8: stable across runs and machines (Swift's Hasher is not).
    static func fnv1a(_ term: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in term.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
