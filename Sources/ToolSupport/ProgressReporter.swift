// ProgressReporter: a progress bar on stderr when it is a terminal (done/total, rate, ETA,
// failures), and a plain line every `plainInterval` seconds otherwise — so a long run in a
// Makefile still shows it is alive without flooding the log.
import Dispatch
import Records

public final class ProgressReporter: @unchecked Sendable {
    private let tool: String
    private let counters: RunCounters
    private let output = StandardError.shared
    private let timer: DispatchSourceTimer
    private let queue = DispatchQueue(label: "progress")
    private let plainInterval: Double
    /// True while a question is on the terminal: no tick draws over it. Touched only on `queue`.
    private var held = false

    /// Starts reporting; `enabled: false` (e.g. --quiet) reports nothing.
    public init(tool: String, counters: RunCounters, enabled: Bool, plainInterval: Double = 10) {
        self.tool = tool
        self.counters = counters
        self.plainInterval = plainInterval
        timer = DispatchSource.makeTimerSource(queue: queue)
        // A dispatch source must not be released while suspended: resume it even when it never fires.
        guard enabled else {
            timer.resume()
            return
        }
        let interval = output.isTerminal ? 0.25 : plainInterval
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Stops the timer and clears the bar (before the summary is printed).
    public func stop() {
        timer.cancel()
        output.clearStatus()
    }

    /// Stops drawing (and clears the bar) until `release()`, e.g. while a question waits for its
    /// answer. On the timer's queue, so a tick under way finishes before the bar is cleared.
    public func hold() {
        queue.sync { held = true }
        output.clearStatus()
    }

    public func release() {
        queue.sync { held = false }
    }

    private func tick() {
        guard !held else { return }
        let line = Self.describe(counters.snapshot, elapsed: counters.elapsed, width: output.isTerminal ? output.columns : 0)
        if output.isTerminal {
            output.setStatus("\(tool) \(line)")
        } else {
            output.printLine("\(tool): \(line)")
        }
    }

    /// The progress text: `[#####-----] 1200/5000 24% 96.8/s ETA 39 s, 3 failed`.
    public static func describe(_ s: RunCounters.Snapshot, elapsed: Double, width: Int) -> String {
        let processed = s.ok + s.failed
        let rate = elapsed > 0 ? Double(processed) / elapsed : 0
        var text: String
        if let total = s.total, total > 0 {
            let fraction = min(1, Double(s.done) / Double(total))
            text = "\(s.done)/\(total) \(Int(fraction * 100))% \(Format.rate(rate))/s"
            let remaining = total - s.done
            if rate > 0, remaining > 0 { text += " ETA \(Format.duration(Double(remaining) / rate))" }
            if width > 0 {
                let barWidth = max(10, min(30, width - text.count - 30))
                let filled = Int(fraction * Double(barWidth))
                text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "] " + text
            }
        } else {
            text = "\(s.done) done, \(Format.rate(rate))/s"
        }
        if s.failed > 0 { text += ", \(s.failed) failed" }
        if s.skipped > 0 { text += ", \(s.skipped) skipped" }
        return text
    }
}
