// ParallelTransfers: many requests at once on one multi handle and one thread, with a fixed
// number of slots, reused easy handles (and so reused connections) and delayed retries.

/// The end of one transfer.
public struct HTTPTransferResult: Sendable {
    /// The response head; status 0 when no response arrived.
    public var head: HTTPResponseHead
    /// The transport failure, or nil when the exchange completed (whatever its status).
    public var error: HTTPError?
    /// Body bytes received.
    public var bodyBytes: Int
}

/// Runs up to `concurrency` transfers at once. Not thread-safe: one thread calls everything,
/// and completions run on it inside `runOnce`.
public final class ParallelTransfers {
    public typealias Completion = (HTTPTransferResult) -> Void

    public let concurrency: Int
    public let timeouts: HTTPTimeouts
    private let multi: MultiHandle
    private var idle: [EasyHandle] = []
    private var active: [ObjectIdentifier: (easy: EasyHandle, completion: Completion)] = [:]
    private var delayed: [(due: ContinuousClock.Instant, action: () -> Void)] = []
    private let clock = ContinuousClock()

    public init(concurrency: Int, timeouts: HTTPTimeouts = HTTPTimeouts()) throws {
        self.concurrency = max(1, concurrency)
        self.timeouts = timeouts
        multi = try MultiHandle(maximumConnectionsPerHost: self.concurrency)
    }

    /// Slots neither running nor reserved by a delayed action.
    public var freeSlots: Int { concurrency - active.count - delayed.count }
    /// Nothing running and nothing scheduled.
    public var isIdle: Bool { active.isEmpty && delayed.isEmpty }
    public var runningCount: Int { active.count }

    /// Starts a request; `completion` runs when it ends (in a later `runOnce`).
    public func start(_ request: HTTPRequest, receiver: HTTPResponseReceiver, completion: @escaping Completion) throws {
        let easy = try idle.popLast() ?? EasyHandle()
        easy.prepare(request, receiver: receiver, timeouts: timeouts)
        try multi.add(easy)
        active[ObjectIdentifier(easy)] = (easy, completion)
    }

    /// Runs `action` (which usually starts a request) after `seconds`; holds a slot until then.
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) {
        delayed.append((clock.now.advanced(by: .milliseconds(Int64(seconds * 1000))), action))
    }

    /// Moves transfers forward, waiting at most `maximumWait` seconds for activity, then runs
    /// the completions of finished transfers and the delayed actions that are due.
    public func runOnce(maximumWait: Double = 1) throws {
        try multi.perform()
        var completed = multi.takeCompleted()
        if completed.isEmpty {
            var wait = maximumWait
            if let next = delayed.map(\.due).min() { wait = min(wait, max(0, Self.seconds(clock.now.duration(to: next)))) }
            if !active.isEmpty || wait > 0 {
                try multi.poll(milliseconds: Int(wait * 1000))
            }
            try multi.perform()
            completed = multi.takeCompleted()
        }
        for (easy, error) in completed {
            guard let completion = active.removeValue(forKey: ObjectIdentifier(easy))?.completion else { continue }
            let result = HTTPTransferResult(head: easy.responseHead, error: error, bodyBytes: easy.bodyBytesReceived)
            easy.releaseReceiver()
            idle.append(easy)
            completion(result)
        }
        runDueActions()
    }

    private func runDueActions() {
        guard !delayed.isEmpty else { return }
        let now = clock.now
        let due = delayed.filter { $0.due <= now }
        guard !due.isEmpty else { return }
        delayed.removeAll { $0.due <= now }
        for item in due { item.action() }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Abandons every running transfer and delayed action (their completions never run).
    public func cancelAll() {
        delayed.removeAll()
        // Removing an easy handle from the multi handle stops its transfer.
        for (_, entry) in active {
            multi.remove(entry.easy)
            entry.easy.releaseReceiver()
        }
        active.removeAll()
    }
}
