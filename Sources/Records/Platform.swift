// Platform: the C library for this module's own needs (the monotonic clock, memchr/memmove/memcmp
// on buffers); files and streams go through Posix.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes text to standard error in one write(2) (stdio's `stderr` is global mutable state
/// that Swift 6 will not touch). A failure is dropped: there is nowhere left to report it.
public func writeStandardError(_ text: String) {
    try? FileDescriptor.standardError().write(text)
}
