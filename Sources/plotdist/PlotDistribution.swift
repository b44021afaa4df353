// plotdist: compare category distributions across datasets with charts and statistics.
import ArgumentParser
import ToolSupport

@main
struct PlotDistribution: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "plotdist",
        abstract: "Compare category distributions of datasets: charts (PNG/SVG/PDF), statistics, HTML report.",
        discussion: """
        Datasets are NAME=FILE arguments, or records with a "dataset" field on stdin. Prints one \
        row per category (counts, percentages with Wilson intervals, differences, p and q values) \
        and a summary row (chi-square, Jensen-Shannon divergence, Cramér's V).

        Examples:
          plotdist REAL=work/REAL/categorized.ndjson GEN=work/GEN/categorized.ndjson -o percent.png
          plotdist REAL=real.ndjson GEN=gen.ndjson --chart counts --top 30 -o counts.svg --format markdown
          plotdist REAL=real.ndjson GEN=gen.ndjson --html reports/html
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
    @Option(help: "Example thumbnails per category and dataset in the report.") var examples: Int = 12
    @Flag(name: [.customShort("q"), .long], help: "No informational logs.") var quiet = false
    @Argument(help: "Datasets as NAME=FILE (stdin records with a dataset field when none).") var datasets: [String] = []

    func run() throws {
        ToolMain.notImplemented(tool: "plotdist")
    }
}
