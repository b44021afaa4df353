// The statistics against reference values computed once, independently, with SciPy 1.17.1
// (Debian 12's python3) and written here with their inputs. Each test names the SciPy call.
import Testing
@testable import Charts

/// `actual` is within `relative` of `expected` (or within 1e-15 of zero).
func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-9) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= max(abs(expected) * relative, 1e-15)
}

@Suite struct StatisticsTests {
    // scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
    @Test(arguments: [
        (12, 50, 0.1429739139699173, 0.3741268375794292),
        (0, 20, 0.0, 0.16112515805281935),
        (20, 20, 0.8388748419471808, 1.0),
        (1, 1000, 0.00017654637062607809, 0.0056425585979579355),
        (573, 1200, 0.4493558470331763, 0.5057877479939468),
    ])
    func wilsonIntervalMatchesSciPy(successes: Int, trials: Int, low: Double, high: Double) throws {
        let interval = try #require(Statistics.wilsonInterval(successes: successes, trials: trials))
        #expect(close(interval.low, low))
        #expect(close(interval.high, high))
    }

    @Test func wilsonIntervalOfNoTrialsIsNil() {
        #expect(Statistics.wilsonInterval(successes: 0, trials: 0) == nil)
    }

    // The pooled two-proportion z-test is the 2×2 chi-square test without continuity correction:
    // scipy.stats.chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False).pvalue
    @Test(arguments: [
        (30, 200, 45, 210, 0.09237967055994588),
        (0, 100, 5, 120, 0.038938103550677526),
        (10, 10, 7, 10, 0.06028917399060221),
        (3, 50, 3, 50, 1.0),
        (573, 1200, 402, 1180, 1.1501313959872602e-11),
    ])
    func twoProportionZTestMatchesSciPy(x1: Int, n1: Int, x2: Int, n2: Int, expected: Double) {
        #expect(close(Statistics.twoProportionZTest(x1, n1, x2, n2), expected, relative: 1e-7))
    }

    @Test func zTestWithoutVarianceOrWithoutImages() {
        #expect(Statistics.twoProportionZTest(0, 10, 0, 20) == 1)  // both 0%
        #expect(Statistics.twoProportionZTest(10, 10, 20, 20) == 1)  // both 100%
        #expect(Statistics.twoProportionZTest(3, 10, 0, 0) == nil)
    }

    // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04], method='bh')
    @Test func benjaminiHochbergMatchesSciPy() {
        let q = Statistics.benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04])
        let expected = [0.035, 0.055999999999999994, 0.055999999999999994, 0.035, 0.5, 0.23333333333333336, 0.055999999999999994]
        #expect(q.count == expected.count)
        for (actual, value) in zip(q, expected) { #expect(close(actual, value, relative: 1e-12)) }
    }

    @Test func benjaminiHochbergSkipsMissingPValues() {
        let q = Statistics.benjaminiHochberg([0.02, nil, 0.01])
        #expect(q[1] == nil)
        #expect(close(q[0], 0.02) && close(q[2], 0.02))  // m = 2, not 3
    }

    // r = scipy.stats.chi2_contingency(table, correction=False): r.statistic, r.dof, r.pvalue;
    // scipy.stats.contingency.association(table, method='cramer', correction=False)
    @Test(arguments: [
        ([[120, 80], [45, 90], [30, 33], [0, 12], [7, 2]], 37.4316146558698, 4, 1.4677183314128164e-07, 0.29889060847975485),
        ([[50, 60, 70], [20, 10, 40], [5, 30, 1], [25, 25, 25]], 55.635206582633046, 6, 3.4496636913011615e-10, 0.27759155756098136),
        ([[10, 20], [30, 40]], 0.7936507936507936, 1, 0.37299848361348686, 0.0890870806374748),
    ])
    func chiSquareAndCramersVMatchSciPy(table: [[Int]], statistic: Double, dof: Int, p: Double, cramersV: Double) throws {
        let result = try #require(Statistics.chiSquareHomogeneity(table))
        #expect(close(result.statistic, statistic, relative: 1e-12))
        #expect(result.degreesOfFreedom == dof)
        #expect(close(result.pValue, p, relative: 1e-9))
        #expect(close(result.cramersV, cramersV, relative: 1e-12))
    }

    @Test func chiSquareLeavesOutEmptyRowsAndNeedsTwoOfEach() throws {
        let withEmptyRow = try #require(Statistics.chiSquareHomogeneity([[10, 20], [0, 0], [30, 40]]))
        #expect(withEmptyRow.degreesOfFreedom == 1)
        #expect(close(withEmptyRow.statistic, 0.7936507936507936, relative: 1e-12))
        #expect(Statistics.chiSquareHomogeneity([[5, 7]]) == nil)  // a single category
        #expect(Statistics.chiSquareHomogeneity([[5, 0], [3, 0]]) == nil)  // one dataset empty
    }

    // scipy.special.gammaincc(a, x) and scipy.stats.chi2.sf(x, dof)
    @Test(arguments: [(0.5, 0.1, 0.6547208460185768), (1.5, 3.0, 0.11161022509471268),
                      (10.0, 2.0, 0.9999535019249828), (2.0, 80.0, 1.4619296241547749e-33)])
    func incompleteGammaMatchesSciPy(a: Double, x: Double, expected: Double) {
        #expect(close(SpecialFunctions.regularizedGammaQ(a, x), expected, relative: 1e-10))
    }

    @Test(arguments: [(200.0, 3.0, 4.218541107192018e-43), (3.84, 1.0, 0.05004352124870519), (0.5, 4.0, 0.9735009788392561)])
    func chiSquareTailMatchesSciPy(x: Double, dof: Double, expected: Double) {
        #expect(close(SpecialFunctions.chiSquareSurvival(x, degreesOfFreedom: dof), expected, relative: 1e-10))
    }

    // scipy.spatial.distance.jensenshannon(a / a.sum(), b / b.sum(), base=2) ** 2
    @Test(arguments: [([120, 45, 30, 0, 7], [80, 90, 33, 12, 2], 0.07371974266815837),
                      ([1, 0], [0, 1], 1.0), ([5, 5], [5, 5], 0.0)])
    func jensenShannonMatchesSciPy(a: [Int], b: [Int], expected: Double) {
        #expect(close(Statistics.jensenShannonDivergence([a, b]), expected, relative: 1e-12))
    }

    // Three distributions d (each normalised), m = mean(d):
    // scipy.stats.entropy(m, base=2) - mean(scipy.stats.entropy(x, base=2) for x in d)
    @Test func generalisedJensenShannonMatchesSciPy() {
        let value = Statistics.jensenShannonDivergence([[50, 20, 5, 25], [60, 10, 30, 25], [70, 40, 1, 25]])
        #expect(close(value, 0.11083474764450041, relative: 1e-12))
        #expect(Statistics.jensenShannonDivergence([[1, 2], [0, 0]]) == nil)
    }

    // numpy.log2(((c2 + .5) / (t2 + .5 * k)) / ((c1 + .5) / (t1 + .5 * k)))
    @Test(arguments: [(120, 202, 80, 217, 5, -0.6840925547089538), (0, 202, 12, 217, 5, 4.5417360931811155),
                      (7, 202, 2, 217, 5, -1.6870825973147656)])
    func log2LiftUsesTheReferenceSmoothing(c1: Int, t1: Int, c2: Int, t2: Int, k: Int, expected: Double) {
        #expect(close(Statistics.log2Lift(count1: c1, total1: t1, count2: c2, total2: t2, categories: k), expected, relative: 1e-12))
    }
}
