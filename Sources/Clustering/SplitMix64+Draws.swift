// The draws clustering needs from the project's seeded SplitMix64, so a run gives the same labels
// every time and the tests' Python script can regenerate the same numbers in a dozen lines.
import Foundation
import Records

extension SplitMix64 {
    /// A double in [0, 1) from the top 53 bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An integer in 0..<bound (bound > 0); the modulo bias is below 2⁻⁴⁰ for the sizes used here.
    public mutating func index(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A standard normal value by Box–Muller (the cosine half only, one value per two draws).
    public mutating func normal() -> Double {
        let u1 = 1.0 - uniform()
        let u2 = uniform()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }
}
