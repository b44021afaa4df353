// Comparison: the per-category table and the summary statistics of two or more datasets,
// ranked for the charts and the report.

/// How categories are ordered (and so which make the top N).
public enum Ranking: Sendable, Equatable {
    /// By this dataset's share, largest first.
    case dataset(String)
    /// By the largest share in any dataset.
    case maximum
    /// By the absolute difference in percentage points (the range with more than two datasets).
    case difference

    /// Parses `--rank-by`: `max`, `diff` or a dataset name.
    public init(argument: String) {
        switch argument {
        case "max": self = .maximum
        case "diff": self = .difference
        default: self = .dataset(argument)
        }
    }
}

/// One dataset's numbers for one category.
public struct CategoryShare: Sendable, Equatable {
    public var count: Int
    /// Share of the dataset's images carrying the category, in percent; nil without images.
    public var percent: Double?
    /// The Wilson 95% interval of `percent`, in percent.
    public var interval: Interval?
}

/// One row of the table.
public struct CategoryRow: Sendable, Equatable {
    public var category: String
    /// In the order of `Comparison.datasets`.
    public var shares: [CategoryShare]
    /// Second minus first, in percentage points (two datasets only).
    public var differencePoints: Double?
    /// log2 of the smoothed share in the second over the first (two datasets only; nil for a
    /// value the lift leaves out, such as the noise cluster).
    public var log2Lift: Double?
    /// The reference's unsmoothed-total lift, log2((n2 + 1) / (n1 + 1)) of the counts in the lift's unit.
    public var log2LiftCounts: Double?
    /// Two-proportion z-test p-value and its Benjamini–Hochberg q-value (two datasets only).
    public var pValue: Double?
    public var qValue: Double?

    /// The difference survives the Benjamini–Hochberg correction at `level`.
    public func isSignificant(level: Double = 0.05) -> Bool {
        guard let qValue else { return false }
        return qValue < level
    }
}

/// Whole-table statistics.
public struct ComparisonSummary: Sendable, Equatable {
    /// Usable images and failed records per dataset, in the order of `Comparison.datasets`.
    public var images: [Int]
    public var failed: [Int]
    /// Records without the compared field per dataset (always 0 for categories, where such a record fails).
    public var missing: [Int]
    public var chiSquare: Statistics.ChiSquare?
    public var jensenShannon: Double?
}

/// What the smoothed lift counts, and which values it leaves out.
public struct LiftRule: Sendable, Equatable {
    public enum Unit: String, Sendable, Equatable {
        /// Images carrying the value; total = the dataset's assignments (the reference's clusters, and categories).
        case images
        /// Occurrences of the value; total = all occurrences in the dataset (the reference's keywords).
        case occurrences
    }

    public var unit: Unit
    /// Values shown as rows but left out of the lift's k and totals (the noise cluster, -1).
    public var excluded: Set<String>

    public init(unit: Unit = .images, excluded: Set<String> = []) {
        self.unit = unit
        self.excluded = excluded
    }
}

/// Datasets compared category by category (or value by value of any field).
public struct Comparison: Sendable {
    public var datasets: [DatasetTally]
    /// Every category seen in any dataset, ranked.
    public var rows: [CategoryRow]
    public var summary: ComparisonSummary
    public var ranking: Ranking
    /// The field compared (`--field`); nil for categories, whose table stays as it always was.
    public var field: String?
    public var lift: LiftRule

    public var datasetNames: [String] { datasets.map(\.name) }

    /// The stamp every chart, table and report made from emulated answers carries (nil when
    /// none is): a chart shared alone must not pass for results.
    public var emulatorStamp: String? { emulatorStamp(.english) }

    /// The stamp in the language of `text`.
    public func emulatorStamp(_ text: ChartText) -> String? {
        let emulated = datasets.reduce(0) { $0 + $1.emulated }
        return emulated > 0 ? text.emulatorStamp(emulated) : nil
    }

    /// Computes every row and the summary; rows are ordered by `ranking`.
    public init(datasets: [DatasetTally], ranking: Ranking? = nil, field: String? = nil, lift: LiftRule = LiftRule()) {
        self.datasets = datasets
        self.ranking = ranking ?? .dataset(datasets.first?.name ?? "")
        self.field = field
        self.lift = lift
        let categories = Set(datasets.flatMap(\.counts.keys)).sorted()
        var rows = categories.map { category in
            CategoryRow(category: category, shares: datasets.map { Self.share(count: $0.count(of: category), images: $0.images) })
        }
        if datasets.count == 2 {
            let (first, second) = (datasets[0], datasets[1])
            let lifted = categories.filter { !lift.excluded.contains($0) }
            let liftCount = { (tally: DatasetTally, value: String) in
                lift.unit == .occurrences ? tally.occurrenceCount(of: value) : tally.count(of: value)
            }
            let total1 = lifted.reduce(0) { $0 + liftCount(first, $1) }, total2 = lifted.reduce(0) { $0 + liftCount(second, $1) }
            for i in rows.indices {
                let c1 = rows[i].shares[0].count, c2 = rows[i].shares[1].count
                if let p1 = rows[i].shares[0].percent, let p2 = rows[i].shares[1].percent { rows[i].differencePoints = p2 - p1 }
                if !lift.excluded.contains(rows[i].category) {
                    let n1 = liftCount(first, rows[i].category), n2 = liftCount(second, rows[i].category)
                    if total1 > 0, total2 > 0 {
                        rows[i].log2Lift = Statistics.log2Lift(count1: n1, total1: total1, count2: n2, total2: total2, categories: lifted.count)
                    }
                    rows[i].log2LiftCounts = Statistics.log2LiftCounts(count1: n1, count2: n2)
                }
                rows[i].pValue = Statistics.twoProportionZTest(c1, first.images, c2, second.images)
            }
            let qValues = Statistics.benjaminiHochberg(rows.map(\.pValue))
            for i in rows.indices { rows[i].qValue = qValues[i] }
        }
        let table = rows.map { $0.shares.map(\.count) }
        let byDataset = datasets.indices.map { d in rows.map { $0.shares[d].count } }
        summary = ComparisonSummary(
            images: datasets.map(\.images),
            failed: datasets.map(\.failed),
            missing: datasets.map(\.missing),
            chiSquare: Statistics.chiSquareHomogeneity(table),
            jensenShannon: Statistics.jensenShannonDivergence(byDataset))
        self.rows = Self.ranked(rows, by: self.ranking, datasetNames: datasets.map(\.name))
    }

    static func share(count: Int, images: Int) -> CategoryShare {
        guard images > 0 else { return CategoryShare(count: count, percent: nil, interval: nil) }
        let interval = Statistics.wilsonInterval(successes: count, trials: images).map { Interval(low: $0.low * 100, high: $0.high * 100) }
        return CategoryShare(count: count, percent: Double(count) / Double(images) * 100, interval: interval)
    }

    /// Largest key first; ties by total count, then by name, so the order is stable.
    static func ranked(_ rows: [CategoryRow], by ranking: Ranking, datasetNames: [String]) -> [CategoryRow] {
        let key: (CategoryRow) -> Double
        switch ranking {
        case .dataset(let name):
            let index = datasetNames.firstIndex(of: name) ?? 0
            key = { $0.shares.isEmpty ? 0 : $0.shares[index].percent ?? 0 }
        case .maximum:
            key = { $0.shares.compactMap(\.percent).max() ?? 0 }
        case .difference:
            key = { row in
                let percents = row.shares.compactMap(\.percent)
                return (percents.max() ?? 0) - (percents.min() ?? 0)
            }
        }
        return rows.map { (row: $0, key: key($0), total: $0.shares.map(\.count).reduce(0, +)) }
            .sorted { a, b in
                if a.key != b.key { return a.key > b.key }
                if a.total != b.total { return a.total > b.total }
                return a.row.category < b.row.category
            }
            .map(\.row)
    }
}
