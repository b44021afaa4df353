// Statistics: the numbers plotdist reports — confidence intervals, tests, multiple-testing
// correction and distances between category distributions. Pure functions on counts.
import Glibc

/// A closed interval [low, high].
public struct Interval: Sendable, Equatable {
    public var low: Double
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// Statistics on category counts. Results that a formula cannot give (0 of 0, no variance)
/// are nil, so the table shows null instead of a made-up number.
public enum Statistics {
    /// The 97.5% quantile of the standard normal distribution (two-sided 95%).
    public static let z95 = 1.959963984540054

    /// The Wilson score interval for `successes` of `trials`, as proportions in [0, 1];
    /// nil for zero trials.
    public static func wilsonInterval(successes: Int, trials: Int, z: Double = z95) -> Interval? {
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At 0% and 100% the bound is exactly 0 or 1; the formula would miss it by rounding.
        let low = successes == 0 ? 0 : max(0, center - half)
        let high = successes == trials ? 1 : min(1, center + half)
        return Interval(low: low, high: high)
    }

    /// The two-sided p-value of the pooled two-proportion z-test of x1/n1 against x2/n2.
    /// When both proportions are 0 or both are 1 there is no variance and no evidence of a
    /// difference: p = 1. Nil when either sample is empty.
    public static func twoProportionZTest(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) -> Double? {
        guard n1 > 0, n2 > 0 else { return nil }
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let standardError = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        guard standardError > 0 else { return 1 }
        let z = (Double(x2) / Double(n2) - Double(x1) / Double(n1)) / standardError
        return erfc(abs(z) / 2.0.squareRoot())
    }

    /// Benjamini–Hochberg adjusted p-values (q-values), in the order of `pValues`; nil entries
    /// stay nil and do not count towards the number of tests.
    public static func benjaminiHochberg(_ pValues: [Double?]) -> [Double?] {
        let tested = pValues.indices.filter { pValues[$0] != nil }.sorted { pValues[$0]! < pValues[$1]! }
        let m = Double(tested.count)
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        var runningMinimum = 1.0
        for rank in stride(from: tested.count, through: 1, by: -1) {
            let index = tested[rank - 1]
            runningMinimum = min(runningMinimum, pValues[index]! * m / Double(rank))
            adjusted[index] = runningMinimum
        }
        return adjusted
    }

    /// The result of Pearson's chi-square test of homogeneity.
    public struct ChiSquare: Sendable, Equatable {
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
        /// Cramér's V: sqrt(chi² / (N · (min(rows, columns) − 1))).
        public var cramersV: Double
    }

    /// Pearson's chi-square test of homogeneity (no continuity correction) on a table of counts,
    /// `table[row][column]` (rows: categories, columns: datasets). Rows and columns whose total is
    /// zero are left out; nil when fewer than two rows or two columns remain.
    public static func chiSquareHomogeneity(_ table: [[Int]]) -> ChiSquare? {
        let columnCount = table.first?.count ?? 0
        let rows = table.filter { $0.reduce(0, +) > 0 }
        let columns = (0..<columnCount).filter { column in rows.contains { $0[column] > 0 } }
        guard rows.count >= 2, columns.count >= 2 else { return nil }
        let rowTotals = rows.map { row in Double(columns.map { row[$0] }.reduce(0, +)) }
        let columnTotals = columns.map { column in Double(rows.map { $0[column] }.reduce(0, +)) }
        let total = rowTotals.reduce(0, +)
        var statistic = 0.0
        for (r, row) in rows.enumerated() {
            for (c, column) in columns.enumerated() {
                let expected = rowTotals[r] * columnTotals[c] / total
                let difference = Double(row[column]) - expected
                statistic += difference * difference / expected
            }
        }
        let dof = (rows.count - 1) * (columns.count - 1)
        let smallerSide = Double(min(rows.count, columns.count) - 1)
        return ChiSquare(statistic: statistic, degreesOfFreedom: dof,
                         pValue: SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(dof)),
                         cramersV: (statistic / (total * smallerSide)).squareRoot())
    }

    /// The Jensen–Shannon divergence in bits (0 … 1 for two distributions) of count vectors over
    /// the same categories, each normalised to a distribution and weighted equally. With more
    /// than two vectors it is the generalised divergence H(mean) − mean(H). Nil when fewer than
    /// two vectors have any counts.
    public static func jensenShannonDivergence(_ counts: [[Int]]) -> Double? {
        guard counts.count >= 2, counts.allSatisfy({ $0.reduce(0, +) > 0 }) else { return nil }
        let distributions = counts.map { vector -> [Double] in
            let total = Double(vector.reduce(0, +))
            return vector.map { Double($0) / total }
        }
        let k = distributions[0].count
        let mixture = (0..<k).map { i in distributions.map { $0[i] }.reduce(0, +) / Double(distributions.count) }
        let meanEntropy = distributions.map(entropyBits).reduce(0, +) / Double(distributions.count)
        return max(0, entropyBits(mixture) - meanEntropy)
    }

    /// Shannon entropy in bits.
    static func entropyBits(_ distribution: [Double]) -> Double {
        distribution.reduce(0) { sum, p in p > 0 ? sum - p * log2(p) : sum }
    }

    /// log2 of the smoothed share of a category in the second dataset over the first, the
    /// smoothing of the reference tool: (count + 0.5) / (total + 0.5 · k), where total is the
    /// dataset's number of category assignments and k the number of categories.
    public static func log2Lift(count1: Int, total1: Int, count2: Int, total2: Int, categories k: Int) -> Double {
        let share1 = (Double(count1) + 0.5) / (Double(total1) + 0.5 * Double(k))
        let share2 = (Double(count2) + 0.5) / (Double(total2) + 0.5 * Double(k))
        return log2(share2 / share1)
    }

    /// The reference's lift of raw counts: log2((count2 + 1) / (count1 + 1)).
    public static func log2LiftCounts(count1: Int, count2: Int) -> Double {
        log2(Double(count2 + 1) / Double(count1 + 1))
    }
}
