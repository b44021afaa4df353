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
        abstract: "Compare category (or any field's) distributions of datasets: charts (PNG/SVG/PDF), statistics, HTML report.",
        discussion: """
        Datasets are NAME=FILE arguments (NDJSON records with a "categories" array, or the reference \
        CSV image_name,description,categories when FILE ends in .csv), or records with a "dataset" \
        field on stdin. Records with an "error" are counted as failed and left out of the percentages. \
        Prints one row per category (counts, percentages with Wilson intervals, differences, p and q \
        values) and a summary row (chi-square, Jensen-Shannon divergence, Cramér's V). --field PATH compares \
        another field instead (repeat it for several tables, charts and report sections): cluster, keywords \
        (the terms of each record's embedding_text or description), or a dotted path with [] for arrays of \
        objects, such as description.style.lighting or description.objects[].name.

        Examples:
          plotdist REAL=work/REAL/categorized.ndjson GEN=work/GEN/categorized.ndjson -o percent.png
          plotdist REAL=real.ndjson GEN=gen.ndjson --chart counts --top 30 -o counts.svg --format markdown
          plotdist REAL=real.ndjson GEN=gen.ndjson --ci --mark-significant --html reports/html
          plotdist REAL=real.ndjson GEN=gen.ndjson --lang de -o reports/normalized_category_distribution.png
          plotdist --field cluster --field keywords --field description.style.lighting --clusters clusters.ndjson --html report < clustered.ndjson
        """)

    @Option(name: .shortAndLong, help: "Chart file; the format follows the extension (.png, .svg, .pdf).") var output: String?
    @Option(help: "single, counts or percent.") var chart: ChartKind = .percent
    @Option(help: "Categories shown.") var top: Int = 20
    @Option(help: "Rank by a dataset NAME, max or diff.") var rankBy: String?
    @Option(help: "Chart title.") var title: String?
    @Flag(help: "Draw 95% Wilson intervals on percent bars.") var ci = false
    @Flag(help: "Mark categories whose difference is significant after Benjamini-Hochberg.") var markSignificant = false
    @Option(help: "Table format on stdout: ndjson, csv or markdown.") var format: TableFormat = .ndjson
    @Option(name: .customLong("field"), help: ArgumentHelp(
        "A field to compare (repeatable): categories (default), cluster, keywords, or a path such as description.style.lighting "
            + "or description.objects[].name. With several, -o FILE gets the field before its extension.", valueName: "path"))
    var fields: [String] = []
    @Option(help: "Write a self-contained HTML report into DIR.") var html: String?
    @Option(help: ArgumentHelp("The cluster tool's --clusters summary: keywords and examples for the report's cluster section.", valueName: "file"))
    var clusters: String?
    @Option(help: "Example thumbnails per category (or cluster) and dataset in the report (config report.examples_per_cluster; default 12).") var examples: Int?
    @Option(help: "Long side of the report's thumbnails in pixels (config report.thumbnail_size; default 256).") var thumbnailSize: Int?
    @Option(help: "Language of every text in the charts, the Markdown table and the report: en or de (config lang; default en).")
    var lang: ChartLanguage?
    @OptionGroup var general: GeneralOptions
    @Argument(help: "Datasets as NAME=FILE (stdin records with a dataset field when none).") var datasets: [String] = []

    func validate() throws {
        if let output, ChartFormat(path: output) == nil {
            throw ValidationError("-o \(output): the chart format follows the extension: .png, .svg or .pdf")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if let examples, examples < 0 { throw ValidationError("--examples must be 0 or more") }
        if let thumbnailSize, !(16...2048).contains(thumbnailSize) { throw ValidationError("--thumbnail-size must be 16 to 2048") }
        _ = try DatasetArgument.validated(datasets)
        let parsed = try fields.map { field in
            do { return try ComparedField(parsing: field) } catch { throw ValidationError("\(error)") }
        }
        if let duplicate = parsed.first(where: { field in parsed.filter { $0 == field }.count > 1 }) {
            throw ValidationError("--field \(duplicate) is given twice")
        }
        if let clusters {
            guard html != nil else { throw ValidationError("--clusters \(clusters) is for the report: give --html DIR too") }
            try ToolRun.checkReadable([clusters], kind: "--clusters")
        }
    }

    func run() throws {
        try ToolMain.run(tool: "plotdist") {
            let started = monotonicSeconds()
            let (log, settings) = try general.start(tool: "plotdist")
            let language = try settings.resolve(flag: lang, key: "lang", default: ChartLanguage.en)
            var plot = PlotRun(
                datasets: try datasets.map(DatasetArgument.init(parsing:)).map { PlotRun.Dataset(name: $0.name, path: $0.path) },
                rankBy: rankBy,
                chartOptions: ChartOptions(kind: chart, top: top, showIntervals: ci, markSignificant: markSignificant,
                                           title: title, language: language),
                format: format, chartPath: output, report: try html.map { try reportSettings(directory: $0, settings: settings) },
                table: NDJSONWriter.standardOutput())
            plot.fields = try fields.isEmpty ? [.categories] : fields.map { try ComparedField(parsing: $0) }
            plot.warning = { StandardError.shared.printLine("plotdist: warning: \($0)") }
            plot.progress = { log.info("\($0)") }
            plot.reportWarning = { log.warning("\($0)") }
            let outcome = try plot.run()
            StandardError.shared.printLine(outcome.summaryLine(duration: Format.duration(monotonicSeconds() - started)))
            return ExitStatus.success
        }
    }

    /// The reference's report keys, from the flags, else config.yaml, else its defaults.
    private func reportSettings(directory: String, settings: ToolConfig) throws -> PlotRun.ReportSettings {
        let examples = try settings.resolve(flag: examples, key: "report.examples_per_cluster", default: 12)
        let thumbnailSize = try settings.resolve(flag: thumbnailSize, key: "report.thumbnail_size", default: 256)
        guard examples >= 0, (16...2048).contains(thumbnailSize) else {
            throw ToolError("\(settings.path ?? "config"): report.examples_per_cluster must be 0 or more, report.thumbnail_size 16 to 2048")
        }
        return PlotRun.ReportSettings(directory: directory, examples: examples, thumbnailSize: thumbnailSize, clustersPath: clusters)
    }
}

extension ChartKind: ExpressibleByArgument {}
extension TableFormat: ExpressibleByArgument {}
extension ChartLanguage: ExpressibleByArgument {}
