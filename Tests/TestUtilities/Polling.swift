// Polling: waiting on a condition with a deadline, the one way tests wait (never a fixed sleep).
import Foundation

/// Checks `condition` every few milliseconds until it holds or `timeout` seconds pass on the
/// monotonic clock. Returns whether it held, for the test to assert on.
public func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
