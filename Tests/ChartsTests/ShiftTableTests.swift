// The cluster and keyword shift tables against values computed once, independently, the way
// the reference's analysis script computes them (scikit-learn 1.9.1's CountVectorizer for the
// keywords): Tests/Fixtures/analysis/shift_reference.py, whose inputs are the ones below.
import Records
import Testing
@testable import Charts

@Suite struct ShiftTableTests {
    static let realClusters = [0, 0, 0, 1, 1, 2, -1, -1, 0, 3]
    static let genClusters = [1, 1, 1, 1, 2, 2, -1, 3, 3, 3, 3, 4]
    static let realTexts = [
        "A brown dog runs on the beach; the dog is happy.",
        "Two dogs and a cat sleep on a sofa in the living room",
        "Street at night, cars and neon signs, a man walks",
        "Mountain lake with trees, blue sky and a small boat",
        "Kitchen table with bread, cheese and a cup of coffee",
        "The cat sits on a windowsill in the sun",
    ]
    static let genTexts = [
        "Neon city street at night with flying cars, neon neon signs",
        "A cyberpunk robot in a neon street, glowing eyes",
        "Fantasy castle on a mountain, dragon in the sky",
        "Portrait of a woman, glowing skin, studio lighting, 8k render",
        "A dog wearing sunglasses on the beach, digital art",
    ]

    /// The comparison plotdist makes of `field` from records written as a file.
    static func compare(_ field: String, real: [Record], gen: [Record]) throws -> Comparison {
        let files = [real, gen].map { records in TemporaryFile(records.map { JSONValue.object($0).description + "\n" }.joined()) }
        defer { files.forEach { $0.remove() } }
        let field = try ComparedField(parsing: field)
        let collector = DatasetCollector(keepImages: false, fields: [field])
        try collector.read(path: files[0].path, dataset: "REAL")
        try collector.read(path: files[1].path, dataset: "GEN")
        return Comparison(datasets: collector.tallies, field: field.tableName, lift: field.liftRule)
    }

    static func row(_ comparison: Comparison, _ value: String) throws -> CategoryRow {
        try #require(comparison.rows.first { $0.category == value }, "no row \(value)")
    }

    // From shift_reference.py: cluster → (REAL, GEN, log2_lift, log2_lift_counts); noise left out, k = 5.
    static let clusterReference: [String: (Int, Int, Double, Double)] = [
        "0": (4, 0, -3.5324950808270206, -2.321928094887362),
        "1": (2, 4, 0.48542682717024166, 0.7369655941662062),
        "2": (1, 2, 0.3743955147814979, 0.5849625007211562),
        "3": (1, 4, 1.222392421336448, 1.3219280948873624),
        "4": (0, 1, 1.222392421336448, 1.0),
    ]

    @Test func clusterLiftMatchesTheReferenceWithNoiseShownButLeftOut() throws {
        let comparison = try Self.compare("cluster",
                                          real: Self.realClusters.enumerated().map { ["id": .string("r\($0)"), "cluster": .int($1)] },
                                          gen: Self.genClusters.enumerated().map { ["id": .string("g\($0)"), "cluster": .int($1)] })
        #expect(comparison.rows.count == 6)
        for (cluster, expected) in Self.clusterReference {
            let row = try Self.row(comparison, cluster)
            #expect(row.shares.map(\.count) == [expected.0, expected.1], "cluster \(cluster)")
            #expect(abs(try #require(row.log2Lift) - expected.2) < 1e-12, "cluster \(cluster)")
            #expect(abs(try #require(row.log2LiftCounts) - expected.3) < 1e-12, "cluster \(cluster)")
        }
        let noise = try Self.row(comparison, "-1")
        #expect(noise.shares.map(\.count) == [2, 1])
        #expect(noise.shares[0].percent == 20 && noise.log2Lift == nil && noise.log2LiftCounts == nil)
        #expect(noise.pValue != nil)  // still tested and shown

        let record = ComparisonTable.record(try Self.row(comparison, "3"), datasetNames: comparison.datasetNames, field: comparison.field)
        #expect(record.keys == ["field", "value", "datasets", "diff_pp", "log2_lift", "log2_lift_counts", "p_value", "q_value"])
        #expect(record["field"] == "cluster" && record["value"] == "3")
        #expect(record["log2_lift"]?.doubleValue == 1.2224 && record["log2_lift_counts"]?.doubleValue == 1.3219)
        let summary = try #require(ComparisonTable.summaryRecord(comparison)["summary"])
        #expect(summary["field"] == "cluster" && summary["lift_unit"] == "images" && summary["lift_excludes"] == ["-1"])
        #expect(summary["missing"]?["REAL"]?.intValue == 0)
    }

    // From shift_reference.py: term → (texts of REAL, of GEN holding it, log2_lift, log2_lift_counts);
    // the lift counts term occurrences over a vocabulary of k = 54 terms (totals: REAL 36, GEN 34).
    static let keywordReference: [String: (Int, Int, Double, Double)] = [
        "neon": (1, 2, 1.6315050866581864, 1.3219280948873624),
        "dog": (1, 1, -0.6904230082291758, -0.5849625007211563),
        "cat": (2, 0, -2.275385508950332, -1.5849625007211563),
        "glowing": (0, 2, 2.3684706808243923, 1.584962500721156),
        "street": (1, 2, 0.7835081801032363, 0.5849625007211562),
        "beach": (1, 1, 0.04654258593703024, 0.0),
        "8k": (0, 1, 1.6315050866581864, 1.0),
        "windowsill": (1, 0, -1.5384199147841258, -1.0),
    ]

    @Test func keywordLiftMatchesTheReferenceCountingTermOccurrences() throws {
        let comparison = try Self.compare("keywords",
                                          real: Self.realTexts.enumerated().map { ["id": .string("r\($0)"), "embedding_text": .string($1)] },
                                          gen: Self.genTexts.enumerated().map { ["id": .string("g\($0)"), "embedding_text": .string($1)] })
        #expect(comparison.rows.count == 54)
        #expect(comparison.lift.unit == .occurrences)
        for (term, expected) in Self.keywordReference {
            let row = try Self.row(comparison, term)
            #expect(row.shares.map(\.count) == [expected.0, expected.1], "\(term)")
            #expect(abs(try #require(row.log2Lift) - expected.2) < 1e-12, "\(term)")
            #expect(abs(try #require(row.log2LiftCounts) - expected.3) < 1e-12, "\(term)")
        }
        // "neon" is in 2 of GEN's 5 texts (the shares) but occurs 4 times (the lift).
        #expect(try Self.row(comparison, "neon").shares[1].percent == 40)
        #expect(comparison.rows.allSatisfy { !["the", "a", "of", "with"].contains($0.category) })
        let summary = try #require(ComparisonTable.summaryRecord(comparison)["summary"])
        #expect(summary["lift_unit"] == "occurrences" && summary["lift_excludes"] == nil)
    }

    @Test func recordsWithoutTextAreMissingAndTheDescriptionIsTheFallback() throws {
        let description: JSONValue = ["objects": [["name": "Lighthouse"]], "scene": ["environment": ["coast"]]]
        let comparison = try Self.compare("keywords",
                                          real: [["id": "a", "embedding_text": "red lighthouse"], ["id": "b"], ["id": "c", "description": description]],
                                          gen: [["id": "d", "embedding_text": "the"]])
        #expect(comparison.summary.missing == [1, 0])
        #expect(comparison.summary.images == [2, 1])
        #expect(try Self.row(comparison, "lighthouse").shares[0].count == 2)
        #expect(comparison.rows.contains { $0.category == "coast" })
    }
}
