// TFIDF: scikit-learn's TfidfVectorizer for term lists from Tokenizer — vocabulary of the
// max_features most frequent terms, smooth idf ln((1 + n) / (1 + df)) + 1, optional sublinear tf (1 + ln tf), L2 rows —
// and the reference's keywords: the mean score of each term over a group of rows. Where counts
// or scores tie, the earlier term (alphabetically) wins; NumPy's unstable argsort gives no
// order to copy there.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct TFIDF: Sendable {
    /// One document's scores: vocabulary indices (ascending) and their values.
    public struct Row: Sendable, Equatable {
        public var indices: [Int32]
        public var values: [Float]
    }

    /// The terms, alphabetical; a term's index is its place here.
    public let vocabulary: [String]
    /// Inverse document frequency per term.
    public let idf: [Double]
    public let sublinearTF: Bool
    private let index: [String: Int32]

    /// Fits the vocabulary and idf on `documents` (each a term list).
    /// - Parameter maxFeatures: keep only this many terms, the most frequent over all documents
    ///   (the reference's `tfidf.max_features`); nil keeps all.
    public init(documents: [[String]], maxFeatures: Int? = nil, sublinearTF: Bool = false) {
        var frequency: [String: (total: Int, documents: Int)] = [:]
        for terms in documents {
            var seen = Set<String>()
            for term in terms {
                let first = seen.insert(term).inserted
                frequency[term, default: (0, 0)].total += 1
                if first { frequency[term, default: (0, 0)].documents += 1 }
            }
        }
        var kept = frequency.keys.sorted()
        if let maxFeatures, kept.count > maxFeatures {
            // Most frequent first; equal counts in alphabetical order.
            let byFrequency = kept.enumerated().sorted {
                let a = frequency[$0.element]!.total, b = frequency[$1.element]!.total
                return a != b ? a > b : $0.offset < $1.offset
            }
            kept = byFrequency.prefix(maxFeatures).map(\.element).sorted()
        }
        let n = Double(documents.count)
        vocabulary = kept
        idf = kept.map { log((1 + n) / (1 + Double(frequency[$0]!.documents))) + 1 }
        index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, Int32($0.offset)) })
        self.sublinearTF = sublinearTF
    }

    /// The scores of one document: tf (or 1 + ln tf) × idf, scaled to unit length.
    public func row(_ terms: [String]) -> Row {
        var counts: [Int32: Int] = [:]
        for term in terms { if let i = index[term] { counts[i, default: 0] += 1 } }
        let indices = counts.keys.sorted()
        var values = indices.map { i -> Double in
            let tf = Double(counts[i]!)
            return (sublinearTF ? 1 + log(tf) : tf) * idf[Int(i)]
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { values = values.map { $0 / norm } }
        return Row(indices: indices, values: values.map(Float.init))
    }

    /// The `count` terms with the highest mean score over `rows` (absent terms score 0), as the
    /// reference picks a cluster's keywords; equal means in alphabetical order.
    public func topTerms(rows: [Row], count: Int) -> [(term: String, score: Double)] {
        guard !rows.isEmpty, count > 0 else { return [] }
        var sums = [Double](repeating: 0, count: vocabulary.count)
        for row in rows {
            for (i, value) in zip(row.indices, row.values) { sums[Int(i)] += Double(value) }
        }
        let order = sums.indices.filter { sums[$0] > 0 }.sorted { sums[$0] != sums[$1] ? sums[$0] > sums[$1] : $0 < $1 }
        return order.prefix(count).map { (vocabulary[$0], sums[$0] / Double(rows.count)) }
    }
}
