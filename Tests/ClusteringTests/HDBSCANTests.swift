// HDBSCAN on Gaussian blobs of different sizes and spreads with uniform noise: the blobs are
// found (adjusted Rand index against the truth) and the labels equal scikit-learn's on the same
// float32 vectors and parameters (reference labels from make_reference.py).
import Clustering
import Testing
import TestUtilities

@Suite struct HDBSCANTests {
    // The cases of make_reference.py.
    static let dense = GaussianBlobs(seed: 15, dimensions: 8, blobs: [.init(300, spread: 0.6), .init(150, spread: 1.2),
                                                                      .init(80, spread: 0.3), .init(220, spread: 1.8)], noise: 40)
    static let wide = GaussianBlobs(seed: 21, dimensions: 64, blobs: [.init(900, spread: 1.0), .init(600, spread: 2.0), .init(400, spread: 0.5),
                                                                      .init(500, spread: 1.5), .init(300, spread: 3.0), .init(250, spread: 0.8)], noise: 150)

    @Test func labelsEqualScikitLearnsWithMinSamples() throws {
        let labels = try HDBSCAN(minClusterSize: 15, minSamples: 10).fit(Self.dense.matrix)
        #expect(AdjustedRandIndex.score(labels, ScikitLearnReference.denseMinClusterSize15MinSamples10) >= 0.99)
        #expect(Set(labels) == Set(ScikitLearnReference.denseMinClusterSize15MinSamples10))
    }

    @Test func labelsEqualScikitLearnsWithMinSamplesDefaultingToMinClusterSize() throws {
        let labels = try HDBSCAN(minClusterSize: 25).fit(Self.dense.matrix)
        #expect(AdjustedRandIndex.score(labels, ScikitLearnReference.denseMinClusterSize25) >= 0.99)
    }

    @Test func cosineIsEuclideanOnUnitVectorsAsScikitLearn() throws {
        var matrix = Self.dense.matrix
        matrix.normaliseRows()
        let labels = try HDBSCAN(minClusterSize: 15, minSamples: 10).fit(matrix)
        #expect(AdjustedRandIndex.score(labels, ScikitLearnReference.denseCosineMinClusterSize15MinSamples10) >= 0.99)
    }

    @Test func wideVectorsMatchScikitLearnAndTheTruth() throws {
        let labels = try HDBSCAN(minClusterSize: 20, minSamples: 10).fit(Self.wide.matrix)
        #expect(AdjustedRandIndex.score(labels, ScikitLearnReference.wideMinClusterSize20MinSamples10) >= 0.99)
        let blobPoints = Self.wide.truth.indices.filter { Self.wide.truth[$0] >= 0 }
        #expect(AdjustedRandIndex.score(blobPoints.map { labels[$0] }, blobPoints.map { Self.wide.truth[$0] }) >= 0.95)
        // The uniform noise in 64 dimensions is far from every blob: nearly all of it is noise.
        let noisePoints = Self.wide.truth.indices.filter { Self.wide.truth[$0] < 0 }
        #expect(noisePoints.filter { labels[$0] == -1 }.count >= noisePoints.count * 9 / 10)
    }

    @Test func blobsOfDifferentDensitiesAreFound() throws {
        let labels = try HDBSCAN(minClusterSize: 15, minSamples: 10).fit(Self.dense.matrix)
        let blobPoints = Self.dense.truth.indices.filter { Self.dense.truth[$0] >= 0 }
        #expect(AdjustedRandIndex.score(blobPoints.map { labels[$0] }, blobPoints.map { Self.dense.truth[$0] }) >= 0.9)
    }

    @Test func theReferenceDefaultsFollowTheOlderScript() {
        let auto = HDBSCAN.reference(rows: 10_000, minClusterSize: 3, minSamples: nil)
        #expect(auto.minClusterSize == 5 && auto.minSamples == 100)
        let small = HDBSCAN.reference(rows: 16, minClusterSize: 15, minSamples: nil)
        #expect(small.minClusterSize == 15 && small.minSamples == 5)
        #expect(HDBSCAN.reference(rows: 100, minClusterSize: 15, minSamples: 7).minSamples == 7)
    }

    @Test func tooFewRowsForMinSamplesIsAnError() {
        #expect(throws: ClusteringError.tooFewRows(rows: 3, needed: 5)) {
            try HDBSCAN(minClusterSize: 5).fit(VectorMatrix(rows: [[0, 0], [1, 1], [2, 2]]))
        }
    }
}
