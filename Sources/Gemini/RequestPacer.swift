// RequestPacer: when the next request may start, under --rpm and --tpm limits, the reference's
// per-request sleep, and an adaptive brake: a 429 slows sending down at once, successes speed
// it up again slowly. Requests are spread evenly (no bursts), so a sliding-window limit on the
// server side is never crossed. Time is passed in, so it is testable and single-threaded.

public struct RequestPacer: Sendable {
    /// Seconds between request starts set by --rpm (and the minimum per-request interval).
    public let baseInterval: Double
    /// Input tokens allowed per second (--tpm / 60), or nil.
    public let tokensPerSecond: Double?
    /// Extra spacing learned from 429s; 0 when none.
    public private(set) var adaptiveInterval: Double = 0
    /// No request starts before this time (after a RetryInfo delay).
    public private(set) var pausedUntil: Double = 0
    private var nextRequestTime: Double = 0
    private var nextTokenTime: Double = 0
    private var lastStart: Double?
    private var recentInterval: Double = 0

    /// A margin so that jitter between client and server clocks cannot make a sliding window
    /// on the server see one request too many.
    static let safetyMargin = 1.005

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, minimumInterval: Double = 0) {
        let rpmInterval = requestsPerMinute.map { 60.0 / Double(max(1, $0)) * Self.safetyMargin } ?? 0
        baseInterval = max(rpmInterval, minimumInterval)
        tokensPerSecond = tokensPerMinute.map { Double(max(1, $0)) / 60.0 / Self.safetyMargin }
    }

    /// Seconds to wait before a request of `tokens` input tokens may start (0: now).
    public func delay(tokens: Int, now: Double) -> Double {
        var earliest = max(nextRequestTime, pausedUntil)
        if tokensPerSecond != nil { earliest = max(earliest, nextTokenTime) }
        return max(0, earliest - now)
    }

    /// Records that a request of `tokens` input tokens started at `now`.
    public mutating func didStart(tokens: Int, now: Double) {
        let interval = max(baseInterval, adaptiveInterval)
        nextRequestTime = max(nextRequestTime, now) + interval
        if let tokensPerSecond {
            nextTokenTime = max(nextTokenTime, now) + Double(tokens) / tokensPerSecond
        }
        if let lastStart {
            let gap = max(0, now - lastStart)
            recentInterval = recentInterval == 0 ? gap : recentInterval * 0.9 + gap * 0.1
        }
        lastStart = now
    }

    /// A 429: slow down to well below the rate that was just refused, and pause for the
    /// server's RetryInfo delay when it gave one.
    public mutating func didGetRateLimited(retryDelay: Double?, now: Double) {
        let slower = max(adaptiveInterval * 1.5, recentInterval * 1.3, baseInterval * 1.3, 0.005)
        adaptiveInterval = min(slower, 60)
        if let retryDelay { pausedUntil = max(pausedUntil, now + retryDelay) }
    }

    /// A success: take back a little of the adaptive brake.
    public mutating func didSucceed() {
        guard adaptiveInterval > 0 else { return }
        adaptiveInterval *= 0.97
        if adaptiveInterval <= baseInterval || adaptiveInterval < 0.0005 { adaptiveInterval = 0 }
    }
}
