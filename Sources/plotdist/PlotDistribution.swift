// plotdist: compare category distributions across datasets with charts and statistics.
import ArgumentParser
import Charts
import Logging
import Records
import ToolSupport

@main
struct PlotDistribution: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "plotdist",
        abstract: "Compare category distributions of datasets: charts (PNG/SVG/PDF), statistics, HTML report.",
        discussion: """
        Datasets are NAME=FILE arguments (NDJSON records with a "categories" array, or the reference \
        CSV image_name,description,categories when FILE ends in .csv), or records with a "dataset" \
        field on stdin. Records with an "error" are counted as failed and left out of the percentages. \
        Prints one row per category (counts, percentages with Wilson intervals, differences, p and q \
        values) and a summary row (chi-square, Jensen-Shannon divergence, Cramér's V).

        Examples:
          plotdist REAL=work/REAL/categorized.ndjson GEN=work/GEN/categorized.ndjson -o percent.png
          plotdist REAL=real.ndjson GEN=gen.ndjson --chart counts --top 30 -o counts.svg --format markdown
          plotdist REAL=real.ndjson GEN=gen.ndjson --ci --mark-significant --html reports/html
        """)

    @Option(name: .shortAndLong, help: "Chart file; the format follows the extension (.png, .svg, .pdf).") var output: String?
    @Option(help: "single, counts or percent.") var chart: String = "percent"
    @Option(help: "Categories shown.") var top: Int = 20
    @Option(help: "Rank by a dataset NAME, max or diff.") var rankBy: String?
    @Option(help: "Chart title.") var title: String?
    @Flag(help: "Draw 95% Wilson intervals on percent bars.") var ci = false
    @Flag(help: "Mark categories whose difference is significant after Benjamini-Hochberg.") var markSignificant = false
    @Option(help: "Table format on stdout: ndjson, csv or markdown.") var format: String = "ndjson"
    @Option(help: "Write a self-contained HTML report into DIR.") var html: String?
    @Option(help: "Example thumbnails per category and dataset in the report (config report.examples_per_cluster; default 12).") var examples: Int?
    @Option(help: "Long side of the report's thumbnails in pixels (config report.thumbnail_size; default 256).") var thumbnailSize: Int?
    @Option(help: "Settings file (default ./config.yaml when present): the report keys.") var config: String?
    @Flag(name: [.customShort("q"), .long], help: "No informational logs.") var quiet = false
    @Argument(help: "Datasets as NAME=FILE (stdin records with a dataset field when none).") var datasets: [String] = []

    func validate() throws {
        guard ChartKind(rawValue: chart) != nil else { throw ValidationError("--chart must be single, counts or percent, not '\(chart)'") }
        guard TableFormat(rawValue: format) != nil else { throw ValidationError("--format must be ndjson, csv or markdown, not '\(format)'") }
        if let output, ChartFormat(path: output) == nil {
            throw ValidationError("-o \(output): the chart format follows the extension: .png, .svg or .pdf")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if let examples, examples < 0 { throw ValidationError("--examples must be 0 or more") }
        if let thumbnailSize, !(16...2048).contains(thumbnailSize) { throw ValidationError("--thumbnail-size must be 16 to 2048") }
        let names = try datasets.map { try DatasetArgument(parsing: $0).name }
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError("dataset \(duplicate) is named twice")
        }
    }

    func run() throws {
        try ToolMain.run(tool: "plotdist") {
            let started = monotonicSeconds()
            let log = try LogSetup.logger(tool: "plotdist", quiet: quiet, verbose: false, logFile: nil)
            let comparison = try compare()
            try printTable(comparison)
            var wrote: [String] = []
            if let output {
                try writeChart(comparison, to: output)
                wrote.append(output)
            }
            if let html {
                let report = try writeReport(comparison, to: html, log: log)
                wrote.append(report.indexPath)
            }
            StandardError.shared.printLine(summaryLine(comparison, wrote: wrote, seconds: monotonicSeconds() - started))
            return ExitStatus.success
        }
    }

    /// Reads every dataset and computes the comparison.
    private func compare() throws -> Comparison {
        let collector = DatasetCollector(keepImages: html != nil)
        let inputs = try datasets.map(DatasetArgument.init(parsing:))
        do {
            if inputs.isEmpty { try collector.read(path: "-", dataset: nil) }
            for input in inputs { try collector.read(path: input.path, dataset: input.name) }
        } catch {
            throw ToolError(error.description)
        }
        for problem in collector.problems { StandardError.shared.printLine("plotdist: warning: \(problem)") }
        if collector.problemCount > collector.problems.count {
            StandardError.shared.printLine("plotdist: warning: \(collector.problemCount - collector.problems.count) more input problems not shown")
        }
        for tally in collector.tallies where tally.images == 0 {
            StandardError.shared.printLine("plotdist: warning: dataset \(tally.name) has no usable images (\(tally.failed) failed)")
        }
        guard !collector.tallies.isEmpty else {
            throw ToolError("no dataset found: give NAME=FILE arguments, or records with a \"dataset\" field on stdin")
        }
        // A chart of nothing would pass for a result: no chart, no table, status 1.
        guard collector.tallies.contains(where: { $0.images > 0 }) else {
            let failed = collector.tallies.map { "\($0.name) \($0.failed) failed" }.joined(separator: ", ")
            throw ToolError("no usable image in any dataset (\(failed)); no chart written")
        }
        let names = collector.tallies.map(\.name)
        let ranking = rankBy.map(Ranking.init(argument:))
        if case .dataset(let name)? = ranking, !names.contains(name) {
            throw ToolError.usage("--rank-by \(name): no such dataset (datasets: \(names.joined(separator: ", ")); or max, diff)")
        }
        return Comparison(datasets: collector.tallies, ranking: ranking)
    }

    private var chartOptions: ChartOptions {
        ChartOptions(kind: ChartKind(rawValue: chart) ?? .percent, top: top, showIntervals: ci,
                     markSignificant: markSignificant, title: title)
    }

    private func printTable(_ comparison: Comparison) throws {
        let writer = NDJSONWriter.standardOutput()
        switch TableFormat(rawValue: format) ?? .ndjson {
        case .ndjson:
            for record in ComparisonTable.records(comparison) { try writer.write(record) }
        case .csv:
            try writeLines(ComparisonTable.csv(comparison), to: writer)
        case .markdown:
            try writeLines(ComparisonTable.markdown(comparison), to: writer)
        }
        try writer.flush()
    }

    private func writeLines(_ text: String, to writer: NDJSONWriter) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var line = String(line)
            try line.withUTF8 { try writer.writeLine($0) }
        }
    }

    private func writeChart(_ comparison: Comparison, to path: String) throws {
        do {
            let layout = BarChartLayout(measurer: try CairoTextMeasurer())
            let scene = layout.layout(BarChart(comparison, options: chartOptions))
            try Files.write(try SceneRenderer.render(scene, as: ChartFormat(path: path) ?? .png), to: path)
        } catch {
            throw ToolError("cannot write the chart \(path): \(error)")
        }
    }

    private func writeReport(_ comparison: Comparison, to directory: String, log: Logger) throws -> HTMLReport.Written {
        let report: HTMLReport.Written
        do {
            // The reference's report keys, from the flags, else config.yaml, else its defaults.
            let settings = try ToolConfig.load(explicitPath: config)
            let examples = try settings.resolve(flag: examples, key: "report.examples_per_cluster", default: 12)
            let thumbnailSize = try settings.resolve(flag: thumbnailSize, key: "report.thumbnail_size", default: 256)
            guard examples >= 0, (16...2048).contains(thumbnailSize) else {
                throw ToolError("\(settings.path ?? "config"): report.examples_per_cluster must be 0 or more, report.thumbnail_size 16 to 2048")
            }
            report = try HTMLReport(comparison: comparison, chartOptions: chartOptions, examples: examples, thumbnailSize: thumbnailSize)
                .write(to: directory) { log.info("\($0)") }
        } catch let error as ToolError {
            throw error
        } catch {
            throw ToolError("cannot write the report into \(directory): \(error)")
        }
        if report.unreadableImages > 0 {
            log.warning("\(NumberText.images(report.unreadableImages)) could not be read for thumbnails (shown as placeholders)")
        }
        return report
    }

    /// `plotdist: REAL 1,200 images (3 failed), GEN 1,180 images (0 failed); 31 categories; chi2 p = …; wrote … — 0.4 s`
    private func summaryLine(_ comparison: Comparison, wrote: [String], seconds: Double) -> String {
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
        return "plotdist: " + parts.joined(separator: "; ") + " — \(Format.duration(seconds))"
    }
}

/// `NAME=FILE`, or a FILE whose name (without directory and extension) names the dataset.
struct DatasetArgument {
    var name: String
    var path: String

    init(parsing argument: String) throws {
        if let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") {
            name = String(argument[..<equals])
            path = String(argument[argument.index(after: equals)...])
        } else {
            path = argument
            let file = argument.split(separator: "/").last.map(String.init) ?? argument
            name = file.split(separator: ".").first.map(String.init) ?? file
        }
        guard !name.isEmpty, !path.isEmpty else { throw ValidationError("'\(argument)': datasets are NAME=FILE") }
    }
}
