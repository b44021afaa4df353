// ClusterRun: the cluster tool's work once its options are parsed. Pass one reads every input's
// vectors (n × d floats, nothing else of the records); the vectors are clustered; pass two reads
// the inputs again and writes every record back in order with its dataset and cluster, and
// gathers each cluster's sizes, example ids and texts for the summary.
import Analysis
import Clustering
import Posix
import Records

public struct ClusterRun {
    /// An input file (`-` for stdin) and the dataset its records belong to (nil: each record's
    /// `dataset` field says).
    public struct Input: Sendable {
        public var dataset: String?
        public var path: String
        public init(dataset: String?, path: String) {
            self.dataset = dataset
            self.path = path
        }
    }

    public struct Outcome: Sendable {
        public var records = 0
        public var clustered = 0
        public var passedErrors = 0
        public var newErrors = 0
        public var clusters = 0
        public var noise = 0
        public var algorithm = ""
    }

    public static let stage = "cluster"
    public var inputs: [Input]
    public var settings: ClusterSettings
    /// What runs, for the log.
    public var note: (String) -> Void = { _ in }
    /// A problem with an input line (file:line and why), for the person.
    public var warning: (String) -> Void = { _ in }

    public init(inputs: [Input], settings: ClusterSettings) {
        self.inputs = inputs.isEmpty ? [Input(dataset: nil, path: "-")] : inputs
        self.settings = settings
    }

    /// What pass one decided for each input item, in order.
    private enum Disposition {
        case row(Int)
        case passThrough
        case invalid
        case unusable(code: String, message: String)
    }

    /// What pass one keeps: the vectors and, per row, its dataset and id; per input item, what
    /// pass two does with it.
    private struct FirstPass {
        var vectors: [Float] = []
        var dimensions: Int?
        var rowDataset: [Int32] = []
        var rowID: [String] = []
        var datasets: [String] = []
        var allLocalTFIDF = true
        var dispositions: [[Disposition]] = []

        mutating func datasetIndex(_ name: String) -> Int32 {
            if let index = datasets.firstIndex(of: name) { return Int32(index) }
            datasets.append(name)
            return Int32(datasets.count - 1)
        }
    }

    public func run(output: NDJSONWriter, summaryPath: String?) throws -> Outcome {
        let spools = try inputs.map { input throws(ClusterError) in try InputSpool(path: input.path) }
        var first = try readVectors(spools)
        let rows = first.rowDataset.count
        guard rows > 0, let dimensions = first.dimensions else {
            throw ClusterError("no record with a usable \(EmbeddingField.name) in \(spools.map(\.name).joined(separator: ", ")) (run embed first)")
        }
        if first.allLocalTFIDF {
            HashedTermVector.applyIDF(&first.vectors, dimensions: dimensions)
            note("\(HashedTermVector.modelName) vectors: idf over all \(rows) applied, rows scaled to unit length")
        }
        var matrix = VectorMatrix(count: rows, dimensions: dimensions, values: first.vectors)
        first.vectors = []
        if settings.metric == .cosine { matrix.normaliseRows() }
        let algorithm = settings.algorithm(rows: rows)
        note("clustering \(rows) vectors of \(dimensions) dimensions with \(algorithm), \(settings.metric)")
        let labels: [Int]
        do {
            labels = try algorithm.labels(matrix)
        } catch {
            throw ClusterError("\(error)")
        }
        matrix = VectorMatrix(count: 0, dimensions: 0, values: [])

        var outcome = Outcome()
        outcome.algorithm = "\(algorithm)"
        var summary = ClusterSummary(datasets: first.datasets, settings: settings)
        try writeBack(spools, first: first, labels: labels, output: output, summary: &summary, outcome: &outcome)
        outcome.clusters = Set(labels.filter { $0 >= 0 }).count
        outcome.noise = labels.filter { $0 < 0 }.count
        if let summaryPath {
            do {
                try FileSystem.writeAtomically(summary.lines(), to: summaryPath)
            } catch {
                throw ClusterError("cannot write the cluster summary \(summaryPath): \(error)")
            }
        }
        return outcome
    }

    /// Pass one: every usable record's vector, nothing else of the records.
    private func readVectors(_ spools: [InputSpool]) throws -> FirstPass {
        let files = VectorFiles()
        var first = FirstPass()
        for (input, spool) in zip(inputs, spools) {
            if let name = input.dataset { _ = first.datasetIndex(name) }
            var decided: [Disposition] = []
            try forEachItem(spool) { item in
                switch item {
                case .invalid(let line, let reason, _):
                    warning("\(spool.name):\(line): \(reason)")
                    decided.append(.invalid)
                case .text:
                    decided.append(.invalid)
                case .record(let record, let line):
                    if record.hasError {
                        decided.append(.passThrough)
                        return
                    }
                    guard let dataset = record["dataset"]?.stringValue ?? input.dataset else {
                        decided.append(.unusable(code: "missing_field", message: "\(spool.name):\(line): no dataset: give NAME=FILE or a \"dataset\" field"))
                        return
                    }
                    let vector: [Float]
                    do {
                        vector = try EmbeddingField.vector(in: record, files: files)
                    } catch {
                        decided.append(.unusable(code: "missing_field", message: "\(spool.name):\(line): \(error)"))
                        return
                    }
                    if let dimensions = first.dimensions, vector.count != dimensions {
                        decided.append(.unusable(code: "bad_embedding",
                                                 message: "\(spool.name):\(line): \(vector.count) dimensions, the first vector had \(dimensions)"))
                        return
                    }
                    first.dimensions = vector.count
                    if record[EmbeddingField.modelName]?.stringValue != HashedTermVector.modelName { first.allLocalTFIDF = false }
                    decided.append(.row(first.rowDataset.count))
                    first.vectors += vector
                    first.rowDataset.append(first.datasetIndex(dataset))
                    first.rowID.append(record.id ?? "\(spool.name):\(line)")
                }
            }
            first.dispositions.append(decided)
        }
        for case .unusable(_, let message) in first.dispositions.joined() { warning(message) }
        return first
    }

    /// Pass two: every item again, in order, written back with its dataset and cluster (or as
    /// the error record pass one decided on); the summary gathers each cluster's members.
    private func writeBack(_ spools: [InputSpool], first: FirstPass, labels: [Int], output: NDJSONWriter,
                           summary: inout ClusterSummary, outcome: inout Outcome) throws {
        for (index, (input, spool)) in zip(inputs, spools).enumerated() {
            let decided = first.dispositions[index]
            var position = 0
            try forEachItem(spool) { item in
                guard position < decided.count else {
                    throw ClusterError("\(spool.name) changed while cluster read it (more lines the second time)")
                }
                let disposition = decided[position]
                position += 1
                outcome.records += 1
                switch (disposition, item) {
                case (.invalid, .invalid(let line, let reason, let raw)):
                    outcome.newErrors += 1
                    try output.write(InputItem.errorRecord(stage: Self.stage, source: spool.name, line: line, reason: reason, raw: raw))
                case (.invalid, .text(let text, let line)):
                    outcome.newErrors += 1
                    try output.write(InputItem.errorRecord(stage: Self.stage, source: spool.name, line: line, reason: "not a JSON object", raw: text))
                case (.passThrough, .record(let record, _)):
                    outcome.passedErrors += 1
                    try output.write(record)
                case (.unusable(let code, let message), .record(var record, _)):
                    outcome.newErrors += 1
                    record.setError(RecordError(stage: Self.stage, code: code, message: message, retryable: false))
                    try output.write(record)
                case (.row(let row), .record(var record, _)):
                    outcome.clustered += 1
                    if record["dataset"] == nil, let name = input.dataset { record["dataset"] = .string(name) }
                    record["cluster"] = .int(labels[row])
                    summary.add(cluster: labels[row], dataset: Int(first.rowDataset[row]), id: first.rowID[row],
                                text: record[EmbeddingField.textName]?.stringValue)
                    try output.write(record)
                default:
                    throw ClusterError("\(spool.name):\(item.line) changed while cluster read it")
                }
            }
            guard position == decided.count else { throw ClusterError("\(spool.name) changed while cluster read it (fewer lines the second time)") }
        }
        try output.flush()
    }

    private func forEachItem(_ spool: InputSpool, _ body: (InputItem) throws -> Void) throws {
        let reader = try spool.reader()
        while true {
            let item: InputItem?
            do {
                item = try reader.next()
            } catch {
                throw ClusterError("cannot read \(spool.name): \(error)")
            }
            guard let item else { return }
            try body(item)
        }
    }
}
