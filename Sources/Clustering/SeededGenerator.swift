// SplitMix64: a small seeded generator, so a clustering run gives the same labels every time and
// the tests' Python script can regenerate the same numbers with the same dozen lines.
import Foundation

/// Steele, Lea and Flood's SplitMix64. Deterministic for a seed on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
