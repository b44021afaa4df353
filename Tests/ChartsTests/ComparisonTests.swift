// The table rows and summary on the edge cases: a category absent in one dataset, 0% and
// 100%, an empty dataset, a single category. Expected numbers from SciPy 1.17.1 as named.
import Testing
@testable import Charts

/// A dataset built from one category list per image.
func tally(_ name: String, _ images: [[String]], failed: Int = 0) -> DatasetTally {
    var tally = DatasetTally(name: name)
    for (i, categories) in images.enumerated() {
        tally.add(ImageEntry(id: "\(name)\(i)", path: nil, categories: categories), keep: true)
    }
    tally.failed = failed
    return tally
}

@Suite struct ComparisonTests {
    /// REAL: 10 images, all "a" (100%), 3 also "b", no "c".
    /// GEN: 8 images, all "b" (100%), 2 also "c", no "a" (0%).
    static let real = tally("REAL", Array(repeating: ["a", "b"], count: 3) + Array(repeating: ["a"], count: 7), failed: 2)
    static let gen = tally("GEN", Array(repeating: ["b", "c"], count: 2) + Array(repeating: ["b"], count: 6))

    func row(_ comparison: Comparison, _ category: String) throws -> CategoryRow {
        try #require(comparison.rows.first { $0.category == category })
    }

    // Intervals: 100 * scipy.stats.binomtest(k, n).proportion_ci(method='wilson');
    // p: scipy.stats.chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False).pvalue;
    // q: scipy.stats.false_discovery_control(p); lift: log2 of (c+.5)/(t+.5k), t = 13 and 10, k = 3.
    @Test func absentCategoriesAndZeroAndHundredPercent() throws {
        let comparison = Comparison(datasets: [Self.real, Self.gen])
        let a = try row(comparison, "a"), b = try row(comparison, "b"), c = try row(comparison, "c")
        #expect(a.shares.map(\.count) == [10, 0])
        #expect(a.shares.map(\.percent) == [100, 0])
        #expect(close(a.shares[0].interval?.low, 72.24672001371108) && a.shares[0].interval?.high == 100)
        #expect(a.shares[1].interval?.low == 0 && close(a.shares[1].interval?.high, 32.440756488388026))
        #expect(close(b.shares[0].interval?.low, 10.779126740630101) && close(b.shares[0].interval?.high, 60.322185253885465))
        #expect(close(c.shares[1].interval?.low, 7.1479212752109) && close(c.shares[1].interval?.high, 59.07245696898311))
        #expect(a.differencePoints == -100 && close(b.differencePoints, 70) && close(c.differencePoints, 25))
        #expect(close(a.pValue, 2.2090496998585475e-05, relative: 1e-7))
        #expect(close(b.pValue, 0.0024687152258023705, relative: 1e-7))
        #expect(close(c.pValue, 0.09353251268909302, relative: 1e-7))
        #expect(close(a.qValue, 6.627149099575643e-05, relative: 1e-7))
        #expect(close(b.qValue, 0.003703072838703556, relative: 1e-7))
        #expect(close(c.qValue, 0.09353251268909302, relative: 1e-7))
        #expect(a.isSignificant() && b.isSignificant() && !c.isSignificant())
        #expect(close(a.log2Lift, -4.057898383708201) && close(b.log2Lift, 1.6145269582632944) && close(c.log2Lift, 2.6563471339579214))
    }

    // chi2_contingency([[10, 0], [3, 8], [0, 2]], correction=False), association(..., 'cramer'),
    // jensenshannon([10, 3, 0] / 13, [0, 8, 2] / 10, base=2) ** 2
    @Test func summaryOfTheEdgeCase() throws {
        let summary = Comparison(datasets: [Self.real, Self.gen]).summary
        #expect(summary.images == [10, 8])
        #expect(summary.failed == [2, 0])
        let chi = try #require(summary.chiSquare)
        #expect(close(chi.statistic, 14.121678321678319, relative: 1e-12))
        #expect(chi.degreesOfFreedom == 2)
        #expect(close(chi.pValue, 0.0008580577433156497, relative: 1e-9))
        #expect(close(chi.cramersV, 0.7835725965001672, relative: 1e-12))
        #expect(close(summary.jensenShannon, 0.6046019116676447, relative: 1e-12))
    }

    @Test func anEmptyDatasetHasNoPercentagesAndNoTests() throws {
        let empty = tally("GEN", [], failed: 4)
        let comparison = Comparison(datasets: [tally("REAL", [["a"], ["a", "b"], ["b"]]), empty])
        let a = try row(comparison, "a")
        #expect(a.shares[1].count == 0 && a.shares[1].percent == nil && a.shares[1].interval == nil)
        #expect(a.pValue == nil && a.qValue == nil && a.log2Lift == nil && a.differencePoints == nil)
        #expect(comparison.summary.chiSquare == nil && comparison.summary.jensenShannon == nil)
        #expect(comparison.summary.failed == [0, 4])
    }

    // binomtest(4, 4) and binomtest(3, 6) Wilson intervals; chi2_contingency([[4, 0], [3, 3]], correction=False)
    @Test func aSingleCategory() throws {
        let comparison = Comparison(datasets: [tally("REAL", Array(repeating: ["x"], count: 4)),
                                               tally("GEN", Array(repeating: ["x"], count: 3) + Array(repeating: [], count: 3))])
        let x = try #require(comparison.rows.first)
        #expect(comparison.rows.count == 1)
        #expect(x.shares.map(\.percent) == [100, 50])
        #expect(close(x.shares[0].interval?.low, 51.01091635454027) && x.shares[0].interval?.high == 100)
        #expect(close(x.shares[1].interval?.low, 18.761630648265054) && close(x.shares[1].interval?.high, 81.23836935173495))
        #expect(close(x.pValue, 0.09096894797535765, relative: 1e-7))
        #expect(x.qValue == x.pValue)
        #expect(x.log2Lift == 0)  // one category: both smoothed shares are 1
        #expect(comparison.summary.chiSquare == nil)  // one row: no test of homogeneity
        #expect(comparison.summary.jensenShannon == 0)
    }

    @Test func rankingOrdersByFirstDatasetMaximumOrDifference() {
        // REAL: a 75%, b 25%, c 0%. GEN: a 25%, b 0%, c 75%.
        let real = tally("REAL", [["a"], ["a"], ["a"], ["b"]])
        let gen = tally("GEN", [["c"], ["c"], ["c"], ["a"]])
        #expect(Comparison(datasets: [real, gen]).rows.map(\.category) == ["a", "b", "c"])
        #expect(Comparison(datasets: [real, gen], ranking: .dataset("GEN")).rows.map(\.category) == ["c", "a", "b"])
        // a and c tie at 75%; a has more images in all (4 against 3).
        #expect(Comparison(datasets: [real, gen], ranking: .maximum).rows.map(\.category) == ["a", "c", "b"])
        // Differences: c 75, a 50, b 25 points.
        #expect(Comparison(datasets: [real, gen], ranking: .difference).rows.map(\.category) == ["c", "a", "b"])
    }

    @Test func repeatedCategoryInOneImageCountsOnce() {
        let real = tally("REAL", [["a", "a", "b"], ["a"]])
        #expect(real.counts == ["a": 2, "b": 1])
        #expect(real.assignments == 3)
    }
}
