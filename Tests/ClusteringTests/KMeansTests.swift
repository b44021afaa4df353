// k-means on Gaussian blobs: Lloyd and mini-batch reach scikit-learn's inertia (within 1%) and
// its partition (adjusted Rand index), the same labels for the same seed, and the reference's k.
import Clustering
import Testing
import TestUtilities

@Suite struct KMeansTests {
    // The cases of make_reference.py.
    static let lloyd = GaussianBlobs(seed: 7, dimensions: 16, blobs: [.init(400, spread: 1.0), .init(250, spread: 0.5), .init(300, spread: 2.0),
                                                                      .init(150, spread: 1.0), .init(200, spread: 1.5)], noise: 0)
    static let miniBatch = GaussianBlobs(seed: 11, dimensions: 16, blobs: [
        .init(3000, spread: 1.0), .init(2000, spread: 2.0), .init(1500, spread: 0.5), .init(2500, spread: 1.5),
        .init(1000, spread: 1.0), .init(800, spread: 2.5), .init(700, spread: 0.7), .init(500, spread: 1.2),
    ], noise: 0)

    @Test func lloydMatchesScikitLearnsKMeans() {
        let result = KMeans(clusterCount: 5, algorithm: .lloyd).fit(Self.lloyd.matrix)
        #expect(abs(result.inertia - ScikitLearnReference.lloydInertia) <= 0.01 * ScikitLearnReference.lloydInertia)
        #expect(AdjustedRandIndex.score(result.labels, ScikitLearnReference.lloydLabels) >= 0.99)
        #expect(AdjustedRandIndex.score(result.labels, Self.lloyd.truth) >= 0.99)
    }

    @Test func miniBatchMatchesScikitLearnsMiniBatchKMeans() {
        let result = KMeans(clusterCount: 8, algorithm: .miniBatch).fit(Self.miniBatch.matrix)
        #expect(abs(result.inertia - ScikitLearnReference.miniBatchInertia) <= 0.01 * ScikitLearnReference.miniBatchInertia)
        #expect(AdjustedRandIndex.score(result.labels, ScikitLearnReference.miniBatchLabels) >= 0.95)
        #expect(AdjustedRandIndex.score(result.labels, Self.miniBatch.truth) >= 0.95)
    }

    @Test func theSameSeedGivesTheSameLabels() {
        let first = KMeans(clusterCount: 8, algorithm: .miniBatch).fit(Self.miniBatch.matrix)
        let second = KMeans(clusterCount: 8, algorithm: .miniBatch).fit(Self.miniBatch.matrix)
        #expect(first.labels == second.labels)
        #expect(first.inertia == second.inertia)
    }

    @Test func inertiaIsTheSumOfSquaredDistancesToTheCenters() {
        let matrix = Self.lloyd.matrix
        let result = KMeans(clusterCount: 5).fit(matrix)
        var sum = 0.0
        for i in 0..<matrix.count {
            let label = result.labels[i]
            for (j, value) in matrix.row(i).enumerated() {
                let delta = Double(value) - Double(result.centers[label * matrix.dimensions + j])
                sum += delta * delta
            }
        }
        #expect(abs(sum - result.inertia) <= 1e-4 * sum)
    }

    @Test func defaultClusterCountIsTheRoundedSquareRootWithinTwoAndAThousand() {
        #expect(KMeans.defaultClusterCount(rows: 1) == 2)
        #expect(KMeans.defaultClusterCount(rows: 1300) == 36)
        #expect(KMeans.defaultClusterCount(rows: 5_000_000) == 1000)
    }
}
