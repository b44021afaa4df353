// ClusterSummary: one line of the cluster tool's `--clusters FILE` — a cluster's size, its TF-IDF
// keywords and example ids per dataset — which the report shows beside the cluster shift.
import Records

/// What the cluster tool says about one cluster.
public struct ClusterSummary: Sendable, Equatable {
    public struct Keyword: Sendable, Equatable {
        public var term: String
        public var score: Double?
    }

    /// The cluster's label as the `cluster` field's value reads (`"3"`, `"-1"`).
    public var cluster: String
    public var keywords: [Keyword]
    /// Example record ids per dataset name.
    public var examples: [String: [String]]

    public init(cluster: String, keywords: [Keyword] = [], examples: [String: [String]] = [:]) {
        self.cluster = cluster
        self.keywords = keywords
        self.examples = examples
    }

    /// `{"cluster": 3, "size": …, "keywords": [{"term", "score"}], "examples": {NAME: [id, …]}}`;
    /// nil when the record has no integer `cluster`.
    public init?(_ record: Record) {
        guard let label = record["cluster"], label.intValue != nil, let cluster = FieldPath.scalarText(label) else { return nil }
        self.cluster = cluster
        keywords = (record["keywords"]?.arrayValue ?? []).compactMap { item in
            (item["term"]?.stringValue ?? item.stringValue).map { Keyword(term: $0, score: item["score"]?.doubleValue) }
        }
        var examples: [String: [String]] = [:]
        for field in record["examples"]?.objectValue?.fields ?? [] {
            examples[field.key] = field.value.arrayValue?.compactMap(\.stringValue) ?? []
        }
        self.examples = examples
    }

    /// Every cluster of the file; a line that is not such a record ends the read, naming file and line.
    public static func read(path: String) throws(InputError) -> [ClusterSummary] {
        let reader: RecordReader
        do {
            reader = try RecordReader(path: path, mode: .ndjson)
        } catch {
            throw InputError(description: "cannot read \(path): \(error)")
        }
        var clusters: [ClusterSummary] = []
        while true {
            let item: InputItem?
            do {
                item = try reader.next()
            } catch {
                throw InputError(description: "cannot read \(path): \(error)")
            }
            switch item {
            case nil:
                return clusters
            case .record(let record, let line):
                guard let cluster = ClusterSummary(record) else {
                    throw InputError(description: "\(path):\(line): no integer \"cluster\" (expected the cluster tool's --clusters summary)")
                }
                clusters.append(cluster)
            case .invalid(let line, let reason, _):
                throw InputError(description: "\(path):\(line): \(reason)")
            case .text:
                continue
            }
        }
    }
}
