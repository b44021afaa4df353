// HTMLReport: one self-contained page (inline SVG charts, a sortable table, example thumbnails
// per category and dataset side by side) plus one page per category with all its images.
// Everything it references lives under the report directory: it opens from disk, offline.
import Records

public struct HTMLReport {
    public let comparison: Comparison
    public let chartOptions: ChartOptions
    /// Example thumbnails per category and dataset on the main page.
    public let examples: Int
    /// The thumbnails' long side in pixels.
    public let thumbnailSize: Int

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
        public var thumbnails: Int
        public var unreadableImages: Int
    }

    /// Writes `index.html`, `categories/*.html` and `thumbs/*.jpg` under `directory`.
    public func write(to directory: String, progress: (String) -> Void) throws(ChartError) -> Written {
        try Files.makeDirectories(directory + "/categories")
        let images = imagesByCategory()
        let paths = images.values.flatMap { $0.flatMap { $0.compactMap(\.path) } }
        progress("making thumbnails of \(NumberText.images(Set(paths).count))")
        let thumbnails = try ThumbnailStore(reportDirectory: directory, longSide: thumbnailSize).make(paths)
        let pages = ReportPages(comparison: comparison, images: images, thumbnails: thumbnails.made)
        try Files.write(pages.index(charts: try charts(), examples: examples), to: directory + "/index.html")
        for row in comparison.rows {
            try Files.write(pages.categoryPage(row), to: directory + "/" + ReportPages.pageName(row.category))
        }
        return Written(indexPath: directory + "/index.html", categoryPages: comparison.rows.count,
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
        let layout = BarChartLayout(measurer: try CairoTextMeasurer())
        var kinds: [ChartKind] = comparison.datasets.count == 1 ? [.single] : [.percent, .counts]
        if chartOptions.kind == .counts, kinds.count == 2 { kinds.reverse() }
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
