// cluster: group embedded records (HDBSCAN or k-means on their vectors) and summarise each group.
import ArgumentParser
import ClusterStage
import Posix
import Records
import ToolSupport

@main
struct Cluster: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster embedded records (HDBSCAN or k-means) and write each back with its dataset and cluster.",
        discussion: """
        Datasets are NAME=FILE arguments of records from embed (an "embedding" field: inline floats or \
        a row of a --vectors file), or records with a "dataset" field on stdin. Every record comes back \
        in order with "dataset" (when it had none) and "cluster" (-1 = noise); error records pass \
        through, records without a usable embedding become error records. Settings from config.yaml: \
        clustering.mode, kmeans_k, min_cluster_size, min_samples; tfidf.max_features, n_top_keywords; \
        report.examples_per_cluster. Vectors of embedding_model local-tfidf get IDF over all input first.

        Examples:
          cluster REAL=work/REAL/embedded.ndjson GEN=work/GEN/embedded.ndjson --clusters clusters.ndjson -o clustered.ndjson
          cluster REAL=real.ndjson GEN=gen.ndjson --method kmeans --k 40 --metric cosine > clustered.ndjson
          cat embedded.ndjson | cluster --min-cluster-size 10 --min-samples 5 --clusters clusters.ndjson
        """)

    @Option(help: "auto (HDBSCAN, as the reference), hdbscan or kmeans (config clustering.mode).") var method: ClusterMethod?
    @Option(help: "euclidean (as the reference) or cosine (euclidean on unit vectors).") var metric: ClusterMetric = .euclidean
    @Option(help: "k-means clusters, or auto: round(√n) within 2…1000 (config clustering.kmeans_k).") var k: AutoCount?
    @Option(help: "HDBSCAN's smallest cluster; at least 5 is used (config clustering.min_cluster_size; default 15).") var minClusterSize: Int?
    @Option(help: "HDBSCAN's neighbours for the core distance, the point itself counted, or auto: max(5, √n) (config clustering.min_samples).")
    var minSamples: AutoCount?
    @Option(help: "Write one summary line per cluster (sizes per dataset, keywords, example ids) to FILE.") var clusters: String?
    @Option(help: "Example ids per cluster and dataset in the summary (config report.examples_per_cluster; default 12).") var examples: Int?
    @Option(help: "Keywords per cluster in the summary (config tfidf.n_top_keywords; default 10).") var keywords: Int?
    @Option(name: .shortAndLong, help: "Write the records to FILE (replaced when done) instead of stdout.") var output: String?
    @OptionGroup var general: GeneralOptions
    @Argument(help: "Datasets as NAME=FILE (stdin records with a dataset field when none).") var datasets: [String] = []

    func validate() throws {
        if let minClusterSize, minClusterSize < 2 { throw ValidationError("--min-cluster-size must be at least 2") }
        if let examples, examples < 0 { throw ValidationError("--examples must be 0 or more") }
        if let keywords, keywords < 0 { throw ValidationError("--keywords must be 0 or more") }
        _ = try DatasetArgument.validated(datasets)
    }

    func run() throws {
        try ToolMain.run(tool: "cluster") {
            let started = monotonicSeconds()
            let (log, config) = try general.start(tool: "cluster")
            var settings = ClusterSettings()
            settings.method = try config.resolve(flag: method, key: "clustering.mode", default: .auto)
            settings.metric = metric
            settings.kmeansK = try config.resolve(flag: k, key: "clustering.kmeans_k", default: .auto)
            settings.minClusterSize = try config.resolve(flag: minClusterSize, key: "clustering.min_cluster_size", default: 15)
            settings.minSamples = try config.resolve(flag: minSamples, key: "clustering.min_samples", default: .auto)
            settings.maxFeatures = try config.resolve(flag: nil, key: "tfidf.max_features", default: 3000)
            settings.keywords = try config.resolve(flag: keywords, key: "tfidf.n_top_keywords", default: 10)
            settings.examples = try config.resolve(flag: examples, key: "report.examples_per_cluster", default: 12)
            var run = ClusterRun(inputs: try datasets.map(DatasetArgument.init(parsing:)).map { .init(dataset: $0.name, path: $0.path) },
                                 settings: settings)
            run.note = { log.info("\($0)") }
            run.warning = { log.warning("\($0)") }
            let outcome = try OutputFile.write(to: output) { writer in try run.run(output: writer, summaryPath: clusters) }
            var parts = ["\(outcome.records) records", "\(outcome.clustered) clustered by \(outcome.algorithm)",
                         "\(outcome.clusters) clusters", "\(outcome.noise) noise"]
            if outcome.passedErrors > 0 { parts.append("\(outcome.passedErrors) errors passed on") }
            if outcome.newErrors > 0 { parts.append("\(outcome.newErrors) new errors") }
            if let clusters { parts.append("wrote \(clusters)") }
            StandardError.shared.printLine("cluster: " + parts.joined(separator: "; ") + " — \(Format.duration(monotonicSeconds() - started))")
            return ExitStatus.success
        }
    }
}

extension ClusterMethod: ExpressibleByArgument {}
extension ClusterMetric: ExpressibleByArgument {}
extension AutoCount: ExpressibleByArgument {}
