// PlotRun: plotdist's work once its options are parsed — read the datasets, compare them, print
// the table, write the chart and the report, and say what was done in one summary line. The
// executable keeps only its flags and where messages go, so all of this can be unit-tested.
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

        public init(directory: String, examples: Int, thumbnailSize: Int) {
            self.directory = directory
            self.examples = examples
            self.thumbnailSize = thumbnailSize
        }
    }

    /// What a run did: the comparison and the files it wrote (chart, report index).
    public struct Outcome {
        public var comparison: Comparison
        public var wrote: [String]

        /// The summary line, with the elapsed time as the tool formats it.
        public func summaryLine(duration: String) -> String {
            PlotRun.summaryLine(comparison, wrote: wrote, duration: duration)
        }
    }

    /// Datasets to read; none means records with a `dataset` field on stdin.
    public var datasets: [Dataset]
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

    /// Reads, compares, prints the table, writes the chart and the report.
    public func run() throws -> Outcome {
        let comparison = try compare()
        try Self.writeTable(comparison, format: format, text: chartOptions.text, to: table)
        var wrote: [String] = []
        if let chartPath {
            try Self.writeChart(comparison, options: chartOptions, to: chartPath)
            wrote.append(chartPath)
        }
        if let report {
            wrote.append(try writeReport(comparison, settings: report).indexPath)
        }
        return Outcome(comparison: comparison, wrote: wrote)
    }

    /// Reads every dataset and computes the comparison.
    public func compare() throws -> Comparison {
        let collector = DatasetCollector(keepImages: report != nil)
        if datasets.isEmpty { try collector.read(path: "-", dataset: nil) }
        for dataset in datasets { try collector.read(path: dataset.path, dataset: dataset.name) }
        for problem in collector.problems { warning("\(problem)") }
        if collector.problemCount > collector.problems.count {
            warning("\(collector.problemCount - collector.problems.count) more input problems not shown")
        }
        for tally in collector.tallies where tally.images == 0 {
            warning("dataset \(tally.name) has no usable images (\(tally.failed) failed)")
        }
        guard !collector.tallies.isEmpty else {
            throw PlotError("no dataset found: give NAME=FILE arguments, or records with a \"dataset\" field on stdin")
        }
        // A chart of nothing would pass for a result: no chart, no table, status 1.
        guard collector.tallies.contains(where: { $0.images > 0 }) else {
            let failed = collector.tallies.map { "\($0.name) \($0.failed) failed" }.joined(separator: ", ")
            throw PlotError("no usable image in any dataset (\(failed)); no chart written")
        }
        let names = collector.tallies.map(\.name)
        let ranking = rankBy.map(Ranking.init(argument:))
        if case .dataset(let name)? = ranking, !names.contains(name) {
            throw PlotError.usage("--rank-by \(name): no such dataset (datasets: \(names.joined(separator: ", ")); or max, diff)")
        }
        return Comparison(datasets: collector.tallies, ranking: ranking)
    }

    /// The table in `format`: NDJSON records, or the CSV or Markdown text line by line.
    public static func writeTable(_ comparison: Comparison, format: TableFormat, text: ChartText, to writer: NDJSONWriter) throws {
        switch format {
        case .ndjson:
            for record in ComparisonTable.records(comparison) { try writer.write(record) }
        case .csv:
            try writeLines(ComparisonTable.csv(comparison), to: writer)
        case .markdown:
            try writeLines(ComparisonTable.markdown(comparison, text: text), to: writer)
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

    private func writeReport(_ comparison: Comparison, settings: ReportSettings) throws(PlotError) -> HTMLReport.Written {
        let report: HTMLReport.Written
        do {
            report = try HTMLReport(comparison: comparison, chartOptions: chartOptions, examples: settings.examples,
                                    thumbnailSize: settings.thumbnailSize)
                .write(to: settings.directory) { progress($0) }
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
        let summary = comparison.summary
        var parts = [comparison.datasetNames.indices.map { i in
            "\(comparison.datasetNames[i]) \(NumberText.images(summary.images[i])) (\(NumberText.grouped(summary.failed[i])) failed)"
        }.joined(separator: ", ")]
        parts.append("\(comparison.rows.count) categories")
        if let chi = summary.chiSquare {
            parts.append("chi2 = \(NumberText.format("%.2f", chi.statistic)) (dof \(chi.degreesOfFreedom)), p = \(NumberText.probability(chi.pValue)), "
                         + "Cramér's V = \(NumberText.format("%.3f", chi.cramersV))")
        }
        if let jsd = summary.jensenShannon { parts.append("JSD = \(NumberText.format("%.4f", jsd)) bits") }
        if !wrote.isEmpty { parts.append("wrote " + wrote.joined(separator: ", ")) }
        return "plotdist: " + parts.joined(separator: "; ") + " — \(duration)"
    }
}
