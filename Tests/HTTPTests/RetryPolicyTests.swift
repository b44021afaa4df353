// RetryPolicyTests: exponential backoff with jitter, capped.
import Testing
@testable import HTTP

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleAndStayWithinTheirJitterBand() {
        let policy = RetryPolicy(maximumRetries: 5, baseDelay: 0.2, maximumDelay: 1)
        #expect(policy.delay(beforeRetry: 1, random: 0) == 0.1)
        #expect(policy.delay(beforeRetry: 1, random: 1) == 0.2)
        #expect(policy.delay(beforeRetry: 2, random: 1) == 0.4)
        #expect(abs(policy.delay(beforeRetry: 3, random: 0.5) - 0.6) < 1e-9)
        #expect(policy.delay(beforeRetry: 10, random: 1) == 1)
        for retry in 1...8 {
            let delay = policy.delay(beforeRetry: retry)
            #expect(delay > 0 && delay <= 1)
        }
    }

    @Test func attemptsAreCounted() {
        let policy = RetryPolicy(maximumRetries: 2)
        #expect(policy.allowsRetry(afterAttempt: 1))
        #expect(policy.allowsRetry(afterAttempt: 2))
        #expect(!policy.allowsRetry(afterAttempt: 3))
        #expect(!RetryPolicy(maximumRetries: 0).allowsRetry(afterAttempt: 1))
    }
}
