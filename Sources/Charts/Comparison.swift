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
    /// log2 of the smoothed share in the second over the first (two datasets only).
    public var log2Lift: Double?
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
    public var chiSquare: Statistics.ChiSquare?
    public var jensenShannon: Double?
}

/// Datasets compared category by category.
public struct Comparison: Sendable {
    public var datasets: [DatasetTally]
    /// Every category seen in any dataset, ranked.
    public var rows: [CategoryRow]
    public var summary: ComparisonSummary
    public var ranking: Ranking

    public var datasetNames: [String] { datasets.map(\.name) }

    /// The stamp every chart, table and report made from emulated answers carries (nil when
    /// none is): a chart shared alone must not pass for results.
    public var emulatorStamp: String? {
        let emulated = datasets.reduce(0) { $0 + $1.emulated }
        guard emulated > 0 else { return nil }
        return "EMULATOR — not model output (\(NumberText.images(emulated)) described or categorized by the Gemini emulator)"
    }

    /// Computes every row and the summary; rows are ordered by `ranking`.
    public init(datasets: [DatasetTally], ranking: Ranking? = nil) {
        self.datasets = datasets
        self.ranking = ranking ?? .dataset(datasets.first?.name ?? "")
        let categories = Set(datasets.flatMap(\.counts.keys)).sorted()
        let k = categories.count
        var rows = categories.map { category in
            CategoryRow(category: category, shares: datasets.map { Self.share(count: $0.count(of: category), images: $0.images) })
        }
        if datasets.count == 2 {
            let (first, second) = (datasets[0], datasets[1])
            for i in rows.indices {
                let c1 = rows[i].shares[0].count, c2 = rows[i].shares[1].count
                if let p1 = rows[i].shares[0].percent, let p2 = rows[i].shares[1].percent { rows[i].differencePoints = p2 - p1 }
                if first.assignments > 0, second.assignments > 0 {
                    rows[i].log2Lift = Statistics.log2Lift(count1: c1, total1: first.assignments, count2: c2,
                                                           total2: second.assignments, categories: k)
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
