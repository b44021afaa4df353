// HTMLReport: one self-contained page (inline SVG charts, a sortable table, example thumbnails
// per category and dataset side by side) plus one page per category with all its images; with
// `--field`, the sections of the fields after it (clusters and keywords with the highest lift,
// attribute shift tables) and a page per cluster and per top keyword.
// Everything it references lives under the report directory: it opens from disk, offline.
import Records

public struct HTMLReport {
    public let comparison: Comparison
    public let chartOptions: ChartOptions
    /// Example thumbnails per category and dataset on the main page.
    public let examples: Int
    /// The thumbnails' long side in pixels.
    public let thumbnailSize: Int

    /// The `--field` comparisons with a section each, in order.
    public var fieldComparisons: [Comparison] = []
    /// The cluster tool's summary (keywords, example ids), for the cluster section.
    public var clusters: [ClusterSummary] = []

    /// The category report of `comparison`; a comparison of another field (no categories asked
    /// for) gives a page of the field sections only.
    public init(comparison: Comparison, chartOptions: ChartOptions, examples: Int, thumbnailSize: Int = 256) {
        self.comparison = comparison
        self.chartOptions = chartOptions
        self.examples = examples
        self.thumbnailSize = thumbnailSize
    }

    /// What was written.
    public struct Written: Sendable {
        public var indexPath: String
        public var categoryPages: Int
        /// Pages per cluster and per keyword.
        public var valuePages: Int = 0
        public var thumbnails: Int
        public var unreadableImages: Int
    }

    /// Writes `index.html`, `categories/*.html`, `clusters/*.html`, `keywords/*.html` and `thumbs/*.jpg` under `directory`.
    public func write(to directory: String, progress: (String) -> Void) throws(ChartError) -> Written {
        let withCategories = comparison.field == nil
        let fields = withCategories ? fieldComparisons : [comparison] + fieldComparisons.filter { $0.field != comparison.field }
        let images = withCategories ? imagesByCategory() : [:]
        var fieldPages = FieldReportPages(comparisons: fields, clusters: clusters, text: chartOptions.text, examples: examples)
        let paths = images.values.flatMap { $0.flatMap { $0.compactMap(\.path) } } + fieldPages.imagePaths
        progress("making thumbnails of \(NumberText.images(Set(paths).count))")
        let thumbnails = try ThumbnailStore(reportDirectory: directory, longSide: thumbnailSize).make(paths)
        fieldPages.thumbnails = thumbnails.made
        var fieldChartOptions = chartOptions
        fieldChartOptions.title = nil
        for field in fields where FieldReportPages.kind(of: field) == .attribute {
            fieldPages.charts[field.field ?? ""] = try Self.charts(field, options: fieldChartOptions, kinds: [.percent]).first
        }
        let sections = fieldPages.sections()
        var categoryPages = 0
        if withCategories {
            try Files.makeDirectories(directory + "/categories")
            let pages = ReportPages(comparison: comparison, images: images, thumbnails: thumbnails.made, text: chartOptions.text)
            try Files.write(pages.index(charts: try charts(), examples: examples, extraSections: sections), to: directory + "/index.html")
            for row in comparison.rows {
                try Files.write(pages.categoryPage(row), to: directory + "/" + ReportPages.pageName(row.category))
            }
            categoryPages = comparison.rows.count
        } else {
            try Files.write(fieldPages.index(sections: sections), to: directory + "/index.html")
        }
        let valuePages = fieldPages.valuePages()
        for folder in Set(valuePages.map { $0.path.split(separator: "/")[0] }) { try Files.makeDirectories(directory + "/" + folder) }
        for page in valuePages { try Files.write(page.html, to: directory + "/" + page.path) }
        return Written(indexPath: directory + "/index.html", categoryPages: categoryPages, valuePages: valuePages.count,
                       thumbnails: thumbnails.made.count, unreadableImages: thumbnails.failures.count)
    }

    /// Each category's images per dataset (in input order).
    func imagesByCategory() -> [String: [[ImageEntry]]] {
        var result: [String: [[ImageEntry]]] = [:]
        for row in comparison.rows { result[row.category] = Array(repeating: [], count: comparison.datasets.count) }
        for (index, dataset) in comparison.datasets.enumerated() {
            for entry in dataset.entries {
                for category in entry.categories { result[category]?[index].append(entry) }
            }
        }
        return result
    }

    /// The charts of the page as SVG elements: shares (with the run's options) and counts, or
    /// the one dataset's distribution.
    func charts() throws(ChartError) -> [String] {
        var kinds: [ChartKind] = comparison.datasets.count == 1 ? [.single] : [.percent, .counts]
        if chartOptions.kind == .counts, kinds.count == 2 { kinds.reverse() }
        return try Self.charts(comparison, options: chartOptions, kinds: kinds)
    }

    static func charts(_ comparison: Comparison, options chartOptions: ChartOptions, kinds: [ChartKind]) throws(ChartError) -> [String] {
        let layout = BarChartLayout(measurer: try CairoTextMeasurer())
        let kinds = comparison.datasets.count == 1 ? [.single] : kinds
        return kinds.map { kind in
            var options = chartOptions
            options.kind = kind
            if kind != chartOptions.kind { options.title = nil }
            // The report explains its Wilson intervals: its percent chart draws them, as make compare's percent.png does.
            if kind == .percent { options.showIntervals = true }
            return SVGWriter.element(layout.layout(BarChart(comparison, options: options)))
        }
    }
}
