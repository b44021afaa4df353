// The adjusted Rand index of two labelings (Hubert and Arabie), as scikit-learn's
// `adjusted_rand_score`: 1 for identical partitions, about 0 for chance agreement.

public enum AdjustedRandIndex {
    public static func score(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "labelings of different lengths")
        let n = a.count
        var table: [Pair: Int] = [:]
        var rows: [Int: Int] = [:], columns: [Int: Int] = [:]
        for i in 0..<n {
            table[Pair(a: a[i], b: b[i]), default: 0] += 1
            rows[a[i], default: 0] += 1
            columns[b[i], default: 0] += 1
        }
        func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
        let index = table.values.reduce(0.0) { $0 + pairs($1) }
        let rowSum = rows.values.reduce(0.0) { $0 + pairs($1) }
        let columnSum = columns.values.reduce(0.0) { $0 + pairs($1) }
        let expected = rowSum * columnSum / max(pairs(n), 1)
        let maximum = (rowSum + columnSum) / 2
        // scikit-learn's special cases: both labelings one cluster, or every point alone.
        if maximum == expected { return 1 }
        return (index - expected) / (maximum - expected)
    }

    private struct Pair: Hashable {
        let a: Int
        let b: Int
    }
}
