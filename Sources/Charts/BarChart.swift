// BarChart: what a horizontal grouped bar chart shows — groups of bars with their value
// labels, series with colours, titles and notes — built from a Comparison. No geometry here.

/// The chart kinds of `--chart`.
public enum ChartKind: String, Sendable, CaseIterable {
    /// One dataset's distribution: counts, with the share in the label.
    case single
    /// Images per category, one bar per dataset.
    case counts
    /// Share of each dataset's images carrying the category, one bar per dataset.
    case percent
}

/// A chart's content, ready for layout.
public struct BarChart: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var color: Color
    }

    public struct Bar: Sendable, Equatable {
        public var value: Double
        /// Drawn as a whisker when present (same units as `value`).
        public var interval: Interval?
        /// The text written at the bar's end.
        public var label: String
    }

    public struct Group: Sendable, Equatable {
        public var label: String
        /// One bar per series.
        public var bars: [Bar]
        /// Drawn with a marker (a significant difference).
        public var marked = false
    }

    public var title: String
    public var subtitles: [String]
    public var series: [Series]
    public var groups: [Group]
    public var axisLabel: String
    /// The title of the category axis (over the labels).
    public var categoryAxisLabel: String
    /// The axis is in percent (ticks read "20%", the axis ends at 100 at most).
    public var percentAxis: Bool
    public var notes: [String]
}

/// Colour-blind-safe colours (Okabe & Ito, 2008), given to datasets in order, so a dataset keeps
/// its colour in every chart of a run.
public enum Palette {
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xE69F00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0x56B4E9), Color(hex: 0xD55E00), Color(hex: 0xF0E442), Color(hex: 0x000000),
    ]

    public static func color(forDatasetAt index: Int) -> Color {
        okabeIto[index % okabeIto.count]
    }
}

/// What to draw from a comparison.
public struct ChartOptions: Sendable {
    public var kind: ChartKind
    public var top: Int
    public var showIntervals: Bool
    public var markSignificant: Bool
    public var title: String?
    /// The language of every text drawn.
    public var language: ChartLanguage

    public init(kind: ChartKind = .percent, top: Int = 20, showIntervals: Bool = false, markSignificant: Bool = false, title: String? = nil,
                language: ChartLanguage = .en) {
        self.kind = kind
        self.top = top
        self.showIntervals = showIntervals
        self.markSignificant = markSignificant
        self.title = title
        self.language = language
    }

    /// The texts of `language`.
    public var text: ChartText { ChartText.of(language) }
}

extension BarChart {
    /// The chart of `comparison`'s top rows (in its ranking). A single chart shows the first dataset.
    public init(_ comparison: Comparison, options: ChartOptions) {
        let datasetIndices = options.kind == .single ? Array(comparison.datasets.indices.prefix(1)) : Array(comparison.datasets.indices)
        let candidates = comparison.rows.filter { row in datasetIndices.contains { row.shares[$0].count > 0 } }
        let rows = Array(candidates.prefix(max(0, options.top)))
        let canMark = options.markSignificant && comparison.datasets.count == 2 && options.kind != .single
        groups = rows.map { row in
            Group(label: row.category,
                  bars: datasetIndices.map { Self.bar(row.shares[$0], kind: options.kind, intervals: options.showIntervals) },
                  marked: canMark && row.isSignificant())
        }
        series = datasetIndices.map { Series(name: comparison.datasets[$0].name, color: Palette.color(forDatasetAt: $0)) }
        percentAxis = options.kind == .percent
        let names = datasetIndices.map { comparison.datasets[$0].name }
        let text = options.text
        categoryAxisLabel = comparison.field ?? text.categoryAxis
        switch options.kind {
        case .single:
            let first = datasetIndices.first.map { comparison.datasets[$0] }
            title = options.title ?? comparison.field.map { text.fieldSingleTitle($0, first?.name ?? "") }
                ?? text.singleTitle(first?.name ?? "", first?.images ?? 0)
            axisLabel = text.countAxis
        case .counts:
            title = options.title ?? comparison.field.map { text.fieldCountsTitle($0, names) } ?? text.countsTitle(names)
            axisLabel = text.countAxis
        case .percent:
            title = options.title ?? comparison.field.map { text.fieldPercentTitle($0, names) } ?? text.percentTitle(names)
            axisLabel = text.percentAxis
        }
        subtitles = [Self.datasetLine(comparison, datasetIndices, text: text),
                     Self.selectionLine(comparison, shown: rows.count, of: candidates.count, options: options)]
        if let stamp = comparison.emulatorStamp(text) { subtitles.insert(stamp, at: 0) }
        notes = []
        if options.kind != .counts { notes.append(text.sharesAddUp) }
        if options.showIntervals, options.kind == .percent { notes.append(text.whiskers) }
        if canMark { notes.append(groups.contains(where: \.marked) ? text.significantMarked : text.noneSignificant) }
    }

    static func bar(_ share: CategoryShare, kind: ChartKind, intervals: Bool) -> Bar {
        switch kind {
        case .percent:
            let percent = share.percent ?? 0
            return Bar(value: percent, interval: intervals ? share.interval : nil, label: NumberText.percent(share.percent))
        case .counts:
            return Bar(value: Double(share.count), interval: nil, label: NumberText.grouped(share.count))
        case .single:
            return Bar(value: Double(share.count), interval: nil,
                       label: NumberText.grouped(share.count) + " (" + NumberText.percent(share.percent) + ")")
        }
    }

    /// "REAL: 1,200 images (3 failed, not counted) · GEN: 1,180 images"
    static func datasetLine(_ comparison: Comparison, _ indices: [Int], text: ChartText = .english) -> String {
        indices.map { index in
            let dataset = comparison.datasets[index]
            var line = "\(dataset.name): \(text.images(dataset.images))"
            if dataset.failed > 0 { line += " (\(text.failedNotCounted(dataset.failed)))" }
            return line
        }.joined(separator: "  ·  ")
    }

    /// "Top 20 of 31 categories, ranked by REAL"
    static func selectionLine(_ comparison: Comparison, shown: Int, of total: Int, options: ChartOptions) -> String {
        let text = options.text
        let scope = shown < total ? text.topOf(shown, total) : text.allCategories(total)
        let ranking: String
        switch comparison.ranking {
        case .dataset(let name): ranking = options.kind == .single ? "" : text.rankedByDataset(name)
        case .maximum: ranking = text.rankedByMaximum
        case .difference: ranking = text.rankedByDifference
        }
        return scope + ranking
    }
}
