// RunCounters: what a run has done so far, shared between the processing loop and the
// progress timer, and the one-line summary every tool prints at the end.
import Synchronization
import Records

/// Counts of a run, safe to update from any thread.
public final class RunCounters: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Records this run processed successfully.
        public var ok = 0
        /// Records this stage could not process (error records written by this tool).
        public var failed = 0
        /// Records skipped because the -o file already had them.
        public var skipped = 0
        /// Error records from an earlier stage, passed on untouched.
        public var passedThrough = 0
        /// Failures by error code.
        public var failuresByCode: [String: Int] = [:]
        /// Records expected in total, when known (for the ETA).
        public var total: Int?

        public var done: Int { ok + failed + skipped + passedThrough }
    }

    private let state = Mutex(Snapshot())
    public let started = monotonicSeconds()

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    public func recordOK(_ count: Int = 1) { state.withLock { $0.ok += count } }
    public func recordSkipped(_ count: Int = 1) { state.withLock { $0.skipped += count } }
    public func recordPassedThrough() { state.withLock { $0.passedThrough += 1 } }
    public func recordFailure(code: String) {
        state.withLock {
            $0.failed += 1
            $0.failuresByCode[code, default: 0] += 1
        }
    }
    public func setTotal(_ total: Int?) { state.withLock { $0.total = total } }

    public var elapsed: Double { monotonicSeconds() - started }

    /// `img-resize: 1200 ok, 3 failed (2 corrupt, 1 too_large), 35 skipped, 4 upstream errors passed on — 12.4 s, 96.8/s`
    /// A line that cannot be missed when no record of the run came out right (errors made here
    /// or passed on); nil when one did, or when there were none.
    public func everyRecordFailedWarning(tool: String) -> String? {
        let s = snapshot
        let errors = s.failed + s.passedThrough
        guard s.ok == 0, s.skipped == 0, errors > 0 else { return nil }
        return "\(tool): WARNING: ALL \(errors) RECORDS FAILED — nothing usable came out of this run; "
            + "see each record's error (exit status 0: errors are records; --strict makes it 3)"
    }

    public func summary(tool: String, extra: String = "") -> String {
        let s = snapshot
        var parts = ["\(s.ok) ok"]
        var failed = "\(s.failed) failed"
        if !s.failuresByCode.isEmpty {
            let codes = s.failuresByCode.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            failed += " (" + codes.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
        }
        parts.append(failed)
        if s.skipped > 0 { parts.append("\(s.skipped) skipped (already done)") }
        if s.passedThrough > 0 { parts.append("\(s.passedThrough) upstream errors passed on") }
        let seconds = elapsed
        let processed = s.ok + s.failed
        let rate = seconds > 0 ? Double(processed) / seconds : 0
        var line = "\(tool): " + parts.joined(separator: ", ") + " — \(Format.duration(seconds)), \(Format.rate(rate))/s"
        if !extra.isEmpty { line += "; " + extra }
        return line
    }
}

/// Number formatting for people.
public enum Format {
    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return fixed(seconds, 1) + " s" }
        let total = Int(seconds.rounded())
        if total < 3600 { return "\(total / 60)m\(pad(total % 60))s" }
        return "\(total / 3600)h\(pad(total / 60 % 60))m"
    }

    public static func rate(_ perSecond: Double) -> String {
        perSecond >= 100 ? String(Int(perSecond.rounded())) : fixed(perSecond, 1)
    }

    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : fixed(value, 1) + " " + units[unit]
    }

    /// `value` with `digits` decimals, without Foundation.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return "\(sign)\(whole).\(fractionText)"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
