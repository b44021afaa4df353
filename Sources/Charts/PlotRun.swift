// PlotRun: plotdist's work once its options are parsed — read the datasets once, compare them
// (one comparison per --field), print the tables, write the charts and the report, and say what
// was done in one summary line. The executable keeps only its flags and where messages go, so all
// of this can be unit-tested.
import Posix
import Records

/// One plotdist run, from its options as plain values.
public struct PlotRun {
    /// A dataset to read: its name and its file (`-` for stdin).
    public struct Dataset: Sendable, Equatable {
        public var name: String
        public var path: String

        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    /// The report's settings, already resolved from flags, config and defaults.
    public struct ReportSettings: Sendable {
        public var directory: String
        public var examples: Int
        public var thumbnailSize: Int
        /// `--clusters FILE`: the cluster tool's summary (keywords and example ids per cluster).
        public var clustersPath: String?

        public init(directory: String, examples: Int, thumbnailSize: Int, clustersPath: String? = nil) {
            self.directory = directory
            self.examples = examples
            self.thumbnailSize = thumbnailSize
            self.clustersPath = clustersPath
        }
    }

    /// What a run did: the comparisons (one per field) and the files it wrote (charts, report index).
    public struct Outcome {
        public var comparisons: [Comparison]
        public var wrote: [String]
        /// The first field's comparison.
        public var comparison: Comparison { comparisons[0] }

        /// The summary line, with the elapsed time as the tool formats it.
        public func summaryLine(duration: String) -> String {
            PlotRun.summaryLine(comparisons, wrote: wrote, duration: duration)
        }
    }

    /// Datasets to read; none means records with a `dataset` field on stdin.
    public var datasets: [Dataset]
    /// The fields compared (`--field`), one table, chart and report section each.
    public var fields: [ComparedField] = [.categories]
    /// `--rank-by`: a dataset name, max or diff.
    public var rankBy: String?
    public var chartOptions: ChartOptions
    public var format: TableFormat
    public var chartPath: String?
    public var report: ReportSettings?
    /// Where the table goes (stdout in the tool).
    public var table: NDJSONWriter
    /// A warning for the person (input problems, empty datasets), without the tool's prefix.
    public var warning: (String) -> Void = { _ in }
    /// Progress of the report (pages, thumbnails) for the log.
    public var progress: (String) -> Void = { _ in }
    /// A warning about the report for the log.
    public var reportWarning: (String) -> Void = { _ in }

    public init(datasets: [Dataset], rankBy: String? = nil, chartOptions: ChartOptions, format: TableFormat,
                chartPath: String? = nil, report: ReportSettings? = nil, table: NDJSONWriter) {
        self.datasets = datasets
        self.rankBy = rankBy
        self.chartOptions = chartOptions
        self.format = format
        self.chartPath = chartPath
        self.report = report
        self.table = table
    }

    /// Reads, compares, prints the tables, writes the charts and the report.
    public func run() throws -> Outcome {
        let comparisons = try compareAll()
        let clusters = try report?.clustersPath.map(Self.readClusters) ?? []
        for (index, comparison) in comparisons.enumerated() {
            try Self.writeTable(comparison, format: format, text: chartOptions.text, to: table, header: index == 0)
        }
        var wrote: [String] = []
        if let chartPath {
            for comparison in comparisons {
                let path = comparisons.count > 1 ? Self.chartPath(chartPath, field: comparison.field ?? "categories") : chartPath
                try Self.writeChart(comparison, options: chartOptions, to: path)
                wrote.append(path)
            }
        }
        if let report {
            wrote.append(try writeReport(comparisons, clusters: clusters, settings: report).indexPath)
        }
        return Outcome(comparisons: comparisons, wrote: wrote)
    }

    /// `chart.png` for the field `description.style.lighting`: `chart-description.style.lighting.png`
    /// (characters other than letters, digits, `.`, `-` and `_` become `_`).
    public static func chartPath(_ path: String, field: String) -> String {
        let safe = String(field.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return path + "-" + safe }
        return String(path[..<dot]) + "-" + safe + String(path[dot...])
    }

    /// The cluster tool's summary; a bad line ends the run naming the file and line.
    static func readClusters(_ path: String) throws(PlotError) -> [ClusterSummary] {
        do {
            return try ClusterSummary.read(path: path)
        } catch {
            throw PlotError("\(error)")
        }
    }

    /// Reads every dataset and computes the first field's comparison.
    public func compare() throws -> Comparison {
        try compareAll()[0]
    }

    /// Reads every dataset once and computes one comparison per field.
    public func compareAll() throws -> [Comparison] {
        let collector = DatasetCollector(keepImages: report != nil, fields: fields)
        if datasets.isEmpty { try collector.read(path: "-", dataset: nil) }
        for dataset in datasets { try collector.read(path: dataset.path, dataset: dataset.name) }
        for problem in collector.problems { warning("\(problem)") }
        if collector.problemCount > collector.problems.count {
            warning("\(collector.problemCount - collector.problems.count) more input problems not shown")
        }
        for tally in collector.tallies where tally.images == 0 {
            warning("dataset \(tally.name) has no usable images (\(tally.failed) failed\(tally.missing > 0 ? ", \(tally.missing) without \(fields[0])" : ""))")
        }
        guard !collector.tallies.isEmpty else {
            throw PlotError("no dataset found: give NAME=FILE arguments, or records with a \"dataset\" field on stdin")
        }
        // A chart of nothing would pass for a result: no chart, no table, status 1.
        for (field, tallies) in zip(fields, collector.talliesByField) where !tallies.contains(where: { $0.images > 0 }) {
            let failed = tallies.map { "\($0.name) \($0.failed) failed" + ($0.missing > 0 ? ", \($0.missing) without \(field)" : "") }
            let which = field == .categories ? "" : " with \(field)"
            throw PlotError("no usable image\(which) in any dataset (\(failed.joined(separator: ", "))); no chart written")
        }
        let names = collector.tallies.map(\.name)
        let ranking = rankBy.map(Ranking.init(argument:))
        if case .dataset(let name)? = ranking, !names.contains(name) {
            throw PlotError.usage("--rank-by \(name): no such dataset (datasets: \(names.joined(separator: ", ")); or max, diff)")
        }
        return zip(fields, collector.talliesByField).map { field, tallies in
            Comparison(datasets: tallies, ranking: ranking, field: field.tableName, lift: field.liftRule)
        }
    }

    /// The table in `format`: NDJSON records, or the CSV or Markdown text line by line. The
    /// tables of several fields follow one another; `header` false leaves out the CSV header
    /// (they share the first one) and separates Markdown tables by an empty line.
    public static func writeTable(_ comparison: Comparison, format: TableFormat, text: ChartText, to writer: NDJSONWriter,
                                  header: Bool = true) throws {
        switch format {
        case .ndjson:
            for record in ComparisonTable.records(comparison) { try writer.write(record) }
        case .csv:
            try writeLines(ComparisonTable.csv(comparison, header: header), to: writer)
        case .markdown:
            try writeLines((header ? "" : "\n") + ComparisonTable.markdown(comparison, text: text), to: writer)
        }
        try writer.flush()
    }

    private static func writeLines(_ text: String, to writer: NDJSONWriter) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var line = String(line)
            try line.withUTF8 { try writer.writeLine($0) }
        }
    }

    /// The chart, in the format its extension names (PNG when it names none).
    public static func writeChart(_ comparison: Comparison, options: ChartOptions, to path: String) throws(PlotError) {
        do {
            let layout = BarChartLayout(measurer: try CairoTextMeasurer())
            let scene = layout.layout(BarChart(comparison, options: options))
            try Files.write(try SceneRenderer.render(scene, as: ChartFormat(path: path) ?? .png), to: path)
        } catch {
            throw PlotError("cannot write the chart \(path): \(error)")
        }
    }

    private func writeReport(_ comparisons: [Comparison], clusters: [ClusterSummary], settings: ReportSettings) throws(PlotError) -> HTMLReport.Written {
        let report: HTMLReport.Written
        do {
            // The category report when categories are compared, else a page of the fields' sections.
            var html = HTMLReport(comparison: comparisons.first { $0.field == nil } ?? comparisons[0], chartOptions: chartOptions, examples: settings.examples,
                                  thumbnailSize: settings.thumbnailSize)
            html.fieldComparisons = comparisons.filter { $0.field != nil }
            html.clusters = clusters
            report = try html.write(to: settings.directory) { progress($0) }
        } catch {
            throw PlotError("cannot write the report into \(settings.directory): \(error)")
        }
        if report.unreadableImages > 0 {
            reportWarning("\(NumberText.images(report.unreadableImages)) could not be read for thumbnails (shown as placeholders)")
        }
        return report
    }

    /// `plotdist: REAL 1,200 images (3 failed), GEN 1,180 images (0 failed); 31 categories; chi2 p = …; wrote … — 0.4 s`
    public static func summaryLine(_ comparison: Comparison, wrote: [String], duration: String) -> String {
        summaryLine([comparison], wrote: wrote, duration: duration)
    }

    /// The line for several fields: the datasets once, then per field its values, records
    /// without it and its statistics (`cluster: 14 values, missing REAL 3, GEN 0; chi2 = …`).
    public static func summaryLine(_ comparisons: [Comparison], wrote: [String], duration: String) -> String {
        let first = comparisons[0]
        var parts = [first.datasetNames.indices.map { i in
            "\(first.datasetNames[i]) \(NumberText.images(first.summary.images[i])) (\(NumberText.grouped(first.summary.failed[i])) failed)"
        }.joined(separator: ", ")]
        for comparison in comparisons {
            let summary = comparison.summary
            if let field = comparison.field {
                let missing = zip(comparison.datasetNames, summary.missing).map { "\($0) \(NumberText.grouped($1))" }.joined(separator: ", ")
                parts.append("\(field): \(NumberText.grouped(comparison.rows.count)) values, missing \(missing)")
            } else {
                parts.append("\(comparison.rows.count) categories")
            }
            if let chi = summary.chiSquare {
                parts.append("chi2 = \(NumberText.format("%.2f", chi.statistic)) (dof \(chi.degreesOfFreedom)), p = \(NumberText.probability(chi.pValue)), "
                             + "Cramér's V = \(NumberText.format("%.3f", chi.cramersV))")
            }
            if let jsd = summary.jensenShannon { parts.append("JSD = \(NumberText.format("%.4f", jsd)) bits") }
        }
        if !wrote.isEmpty { parts.append("wrote " + wrote.joined(separator: ", ")) }
        return "plotdist: " + parts.joined(separator: "; ") + " — \(duration)"
    }
}
