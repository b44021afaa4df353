// The per-cluster summary (`--clusters FILE`): size, size per dataset, TF-IDF keywords of the
// members' embedding texts (the reference's per-cluster keywords) and example ids per dataset.
import Analysis
import Records

struct ClusterSummary {
    let datasets: [String]
    let settings: ClusterSettings
    private var sizes: [Int: [Int]] = [:]
    private var examples: [Int: [[String]]] = [:]
    private var texts: [Int: [[String]]] = [:]

    init(datasets: [String], settings: ClusterSettings) {
        self.datasets = datasets
        self.settings = settings
    }

    mutating func add(cluster: Int, dataset: Int, id: String, text: String?) {
        sizes[cluster, default: [Int](repeating: 0, count: datasets.count)][dataset] += 1
        var chosen = examples[cluster] ?? [[String]](repeating: [], count: datasets.count)
        if chosen[dataset].count < settings.examples { chosen[dataset].append(id) }
        examples[cluster] = chosen
        if cluster >= 0, let text { texts[cluster, default: []].append(Tokenizer.terms(text)) }
    }

    /// One NDJSON line per cluster, in cluster order, noise (−1) last.
    func lines() -> String {
        let order = sizes.keys.filter { $0 >= 0 }.sorted() + (sizes[-1] == nil ? [] : [-1])
        var text = ""
        for cluster in order {
            var record = Record()
            let perDataset = sizes[cluster]!
            record["cluster"] = .int(cluster)
            record["size"] = .int(perDataset.reduce(0, +))
            record["sizes"] = .object(JSONObject(zip(datasets, perDataset).map { .init(key: $0, value: .int($1)) }))
            if cluster >= 0 {
                let documents = texts[cluster] ?? []
                let tfidf = TFIDF(documents: documents, maxFeatures: settings.maxFeatures)
                let top = tfidf.topTerms(rows: documents.map(tfidf.row), count: settings.keywords)
                record["keywords"] = .array(top.map { .object(["term": .string($0.term), "score": .double(($0.score * 10_000).rounded() / 10_000)]) })
            }
            let chosen = examples[cluster]!
            record["examples"] = .object(JSONObject(zip(datasets, chosen).map { .init(key: $0, value: .array($1.map { .string($0) })) }))
            text += JSONSerializer.string(record) + "\n"
        }
        return text
    }
}
