// cluster as a user runs it: embedded records of two datasets (inline vectors and rows of a
// vectors file) from Gaussian blobs → every record back in order with its dataset and cluster,
// the blobs found again, the summary's sizes adding up per dataset, error records passed on,
// bad lines named with file:line.
import Analysis
import Clustering
import Records
import Testing
import TestUtilities

@Suite struct ClusterTests {
    static let blobs = GaussianBlobs(seed: 5, dimensions: 16, blobs: [.init(120, spread: 0.5), .init(80, spread: 0.8), .init(60, spread: 0.4)],
                                     noise: 0)
    static let words = ["dog park grass dog", "car road traffic car", "beach sand sea beach"]

    /// Even rows go to REAL with inline vectors, odd rows to GEN as rows of a vectors file.
    static func writeInputs(_ scratch: Scratch) throws -> (real: [String], gen: [String]) {
        var real: [String] = [], gen: [String] = []
        let file = try VectorFile(appendingTo: scratch.file("gen.npy"), dimensions: blobs.dimensions)
        for (i, row) in blobs.rows.enumerated() {
            var record = Record()
            record["id"] = .string("p\(i)")
            record[EmbeddingField.textName] = .string(words[blobs.truth[i]])
            if i % 2 == 0 {
                record[EmbeddingField.name] = EmbeddingField.inline(row)
                real.append(JSONSerializer.string(record))
            } else {
                let written = try file.append([(id: "p\(i)", vector: row)])
                record[EmbeddingField.name] = EmbeddingField.reference(file: "gen.npy", row: written[0], dimensions: blobs.dimensions)
                gen.append(JSONSerializer.string(record))
            }
        }
        return (real, gen)
    }

    @Test func recordsComeBackInOrderWithTheBlobsAsClustersAndASummaryThatAddsUp() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var (real, gen) = try Self.writeInputs(scratch)
        let failed = #"{"id":"e1","error":{"stage":"embed","code":"http_500","message":"server error","retryable":true}}"#
        real.insert(failed, at: 3)
        real.insert("this is not json", at: 6)
        real.insert(#"{"id":"x1","description":"no vector"}"#, at: 9)
        scratch.write("real.ndjson", real.joined(separator: "\n") + "\n")
        scratch.write("gen.ndjson", gen.joined(separator: "\n") + "\n")
        let run = try ToolProcess.run("cluster", ["REAL=real.ndjson", "GEN=gen.ndjson", "--min-cluster-size", "10", "--min-samples", "5",
                                                  "--clusters", "clusters.ndjson", "-o", "out.ndjson"], directory: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("cluster: warning: real.ndjson:7: not valid JSON"), "\(run.stderr)")
        #expect(run.stderr.contains("cluster: warning: real.ndjson:10: no embedding field"), "\(run.stderr)")

        let records = strictRecords(scratch.read("out.ndjson"))
        #expect(records.count == real.count + gen.count)
        #expect(JSONSerializer.string(records[3]) == failed)
        #expect(records[6].error?.code == "bad_input" && records[6].error?.message.hasPrefix("real.ndjson:7:") == true)
        #expect(records[9].error?.code == "missing_field" && records[9]["id"]?.stringValue == "x1")
        let clustered = records.filter { $0["cluster"] != nil }
        #expect(clustered.count == Self.blobs.rows.count)
        let expectedOrder = (0..<Self.blobs.rows.count).filter { $0 % 2 == 0 } + (0..<Self.blobs.rows.count).filter { $0 % 2 == 1 }
        #expect(clustered.map { $0["id"]?.stringValue } == expectedOrder.map { "p\($0)" })
        let realCount = (Self.blobs.rows.count + 1) / 2
        #expect(clustered.prefix(realCount).allSatisfy { $0["dataset"]?.stringValue == "REAL" })
        #expect(clustered.dropFirst(realCount).allSatisfy { $0["dataset"]?.stringValue == "GEN" })
        let labels = clustered.map { $0["cluster"]!.intValue! }
        #expect(AdjustedRandIndex.score(labels, expectedOrder.map { Self.blobs.truth[$0] }) >= 0.99)

        let summary = strictRecords(scratch.read("clusters.ndjson"))
        #expect(summary.map { $0["cluster"]!.intValue! } == Array(Set(labels)).sorted().filter { $0 >= 0 } + (labels.contains(-1) ? [-1] : []))
        for dataset in ["REAL", "GEN"] {
            let total = summary.reduce(0) { $0 + ($1["sizes"]?.objectValue?[dataset]?.intValue ?? 0) }
            #expect(total == clustered.filter { $0["dataset"]?.stringValue == dataset }.count)
        }
        #expect(summary.allSatisfy { $0["size"]!.intValue! == ($0["sizes"]!.objectValue!.fields.reduce(0) { $0 + $1.value.intValue! }) })
        // Each blob's cluster has its words as keywords, and example ids of its own members.
        for (blob, text) in Self.words.enumerated() {
            let member = expectedOrder.firstIndex { Self.blobs.truth[$0] == blob }!
            let line = try #require(summary.first { $0["cluster"]?.intValue == labels[member] })
            let keywords = line["keywords"]?.arrayValue?.compactMap { $0.objectValue?["term"]?.stringValue } ?? []
            #expect(keywords.first == String(text.split(separator: " ")[0]), "\(keywords)")
            let examples = line["examples"]?.objectValue?["REAL"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(examples.count == 12 && examples.allSatisfy { Self.blobs.truth[Int($0.dropFirst())!] == blob })
        }
    }

    @Test func stdinRecordsNameTheirDatasetAndConfigOrFlagsChooseTheMethod() throws {
        let (real, gen) = try {
            let scratch = Scratch()
            defer { scratch.remove() }
            return try Self.writeInputs(scratch)
        }()
        _ = gen
        // REAL only, inline vectors, dataset named in each record.
        let input = real.map { $0.replacingOccurrences(of: "{\"id\"", with: "{\"dataset\":\"REAL\",\"id\"") }.joined(separator: "\n") + "\n"
        let run = try ToolProcess.run("cluster", ["--method", "kmeans", "--k", "3"], input: input)
        #expect(run.status == 0, "\(run.stderr)")
        let records = strictRecords(run.stdout)
        #expect(records.count == real.count)
        let truth = (0..<Self.blobs.rows.count).filter { $0 % 2 == 0 }.map { Self.blobs.truth[$0] }
        #expect(AdjustedRandIndex.score(records.map { $0["cluster"]!.intValue! }, truth) == 1)
        #expect(run.stderr.contains("3 clusters"), "\(run.stderr)")

        // The reference's config keys choose the method and its parameters; flags win over them.
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("config.yaml", "clustering:\n  mode: kmeans\n  kmeans_k: 3\n  min_cluster_size: 15\n  min_samples: auto\n")
        let configured = try ToolProcess.run("cluster", ["--config", scratch.file("config.yaml")], input: input)
        #expect(configured.status == 0 && configured.stderr.contains("by k-means (k = 3)"), "\(configured.stderr)")
        let flagged = try ToolProcess.run("cluster", ["--config", scratch.file("config.yaml"), "--method", "hdbscan", "--min-samples", "5"],
                                          input: input)
        #expect(flagged.stderr.contains("by HDBSCAN (min_cluster_size 15, min_samples 5)"), "\(flagged.stderr)")
        #expect(AdjustedRandIndex.score(strictRecords(flagged.stdout).map { $0["cluster"]!.intValue! }, truth) >= 0.99)

        #expect(!configured.stderr.contains("idf over all"))

        // embed --local tfidf vectors: hashed term frequencies become TF-IDF over all input first.
        var local: [String] = []
        for (i, text) in (0..<60).map({ Self.words[$0 % 3] + " photo image" }).enumerated() {
            var record: Record = ["id": .string("t\(i)"), "dataset": .string("REAL"), EmbeddingField.textName: .string(text)]
            record[EmbeddingField.name] = EmbeddingField.inline(HashedTermVector.vector(terms: Tokenizer.terms(text), dimensions: 64))
            record[EmbeddingField.modelName] = .string(HashedTermVector.modelName)
            local.append(JSONSerializer.string(record))
        }
        let tfidf = try ToolProcess.run("cluster", ["--method", "kmeans", "--k", "3"], input: local.joined(separator: "\n") + "\n")
        #expect(tfidf.stderr.contains("local-tfidf vectors: idf over all 60 applied"), "\(tfidf.stderr)")
        #expect(AdjustedRandIndex.score(strictRecords(tfidf.stdout).map { $0["cluster"]!.intValue! }, (0..<60).map { $0 % 3 }) == 1)

        let nameless = try ToolProcess.run("cluster", ["--method", "kmeans", "--k", "3"], input: real.joined(separator: "\n") + "\n")
        #expect(nameless.status == 1 && nameless.stderr.contains("no record with a usable embedding"), "\(nameless.stderr)")
    }
}
