// The adjusted Rand index against values computed once with scikit-learn's adjusted_rand_score.
import Clustering
import Testing

@Suite struct AdjustedRandIndexTests {
    @Test func renamedLabelsScoreOne() {
        #expect(AdjustedRandIndex.score([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, -1, -1]) == 1)
    }

    @Test func valuesEqualScikitLearns() {
        // adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285714
        #expect(abs(AdjustedRandIndex.score([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285714) < 1e-12)
        // adjusted_rand_score([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2]) = 0.24242424242424243
        #expect(abs(AdjustedRandIndex.score([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 2, 2]) - 0.24242424242424243) < 1e-12)
        // adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.5714285714285714
        #expect(abs(AdjustedRandIndex.score([0, 0, 1, 2], [0, 0, 1, 1]) - 0.5714285714285714) < 1e-12)
    }
}
