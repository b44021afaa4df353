// SpecialFunctions: the regularized incomplete gamma function, which turns a chi-square
// statistic into a p-value. Series and continued fraction as in Numerical Recipes §6.2.
import Glibc

enum SpecialFunctions {
    /// P(X > x) for X ~ chi-square with `degreesOfFreedom`: Q(dof/2, x/2).
    static func chiSquareSurvival(_ x: Double, degreesOfFreedom: Double) -> Double {
        guard x > 0 else { return 1 }
        return regularizedGammaQ(degreesOfFreedom / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function (a > 0, x ≥ 0).
    static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        // The series converges fast below a + 1, the continued fraction above; each keeps
        // full relative precision where it is used, so tiny p-values stay accurate.
        if x < a + 1 { return max(0, 1 - lowerSeries(a, x)) }
        return upperContinuedFraction(a, x)
    }

    /// P(a, x) by its power series.
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-16 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Q(a, x) by Lentz's evaluation of its continued fraction.
    private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
