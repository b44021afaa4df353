// RetryPolicy: how many times to try again and how long to wait — exponential backoff with
// full jitter, so many clients that failed together do not retry together.

/// Attempts and delays for retrying failed requests.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt (0 = never retry).
    public var maximumRetries: Int
    /// The delay cap of the first retry, in seconds; it doubles with each retry.
    public var baseDelay: Double
    /// No single delay is longer than this, in seconds.
    public var maximumDelay: Double

    public init(maximumRetries: Int = 5, baseDelay: Double = 0.2, maximumDelay: Double = 20) {
        self.maximumRetries = maximumRetries
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// Whether a request that failed `attempt` times (1 = the first try failed) may try again.
    public func allowsRetry(afterAttempt attempt: Int) -> Bool { attempt <= maximumRetries }

    /// The delay before retry number `retry` (1-based): uniform in [cap/2, cap] where
    /// cap = min(maximumDelay, baseDelay · 2^(retry-1)). Half of the cap is kept fixed so a
    /// server that asked us to slow down gets real breathing room.
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let exponent = Double(max(0, min(retry - 1, 30)))
        var cap = baseDelay
        for _ in 0..<Int(exponent) { cap *= 2 }
        cap = min(maximumDelay, cap)
        return cap / 2 + cap / 2 * min(max(random, 0), 1)
    }
}
