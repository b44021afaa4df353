// SignalMonitor: turns SIGINT/SIGTERM into a flag the processing loop checks between records,
// so a tool finishes the record in hand, flushes and reports before it exits. A second signal
// kills at once (the handler resets to the default after the first).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Records

public enum SignalMonitor {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (idempotent). Reads are not restarted after a signal, so a tool
    /// blocked on stdin wakes up and sees the flag. A SIGINT that the parent set to be ignored
    /// (a background job of a non-interactive shell) stays ignored; signals the parent left
    /// blocked (some process launchers block them all) are unblocked.
    public static func install() {
        _ = received.load(ordering: .relaxed)  // initialise before a handler can run
        signal(SIGPIPE, SIG_IGN)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            var previous = sigaction()
            sigaction(sig, nil, &previous)
            if sig == SIGINT, unsafeBitCast(handler(of: previous), to: Int.self) == 1 { continue }  // SIG_IGN
            var action = sigaction()
            setHandler(of: &action) { signalNumber in
                SignalMonitor.received.store(signalNumber, ordering: .relaxed)
            }
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }

    /// The signal received, or 0.
    public static var pending: Int32 { received.load(ordering: .relaxed) }

    public static var shouldStop: Bool { pending != 0 }

    /// The exit status for the signal received (130 for SIGINT, 143 for SIGTERM).
    public static var exitStatus: Int32? {
        switch pending {
        case 0: return nil
        case SIGTERM: return ExitStatus.terminated
        default: return 128 + pending
        }
    }
}

// The handler field of struct sigaction has a different name in each C library.
#if canImport(Glibc)
private func handler(of action: sigaction) -> (@convention(c) (Int32) -> Void)? { action.__sigaction_handler.sa_handler }
private func setHandler(of action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
    action.__sigaction_handler.sa_handler = handler
}
#elseif canImport(Musl)
private func handler(of action: sigaction) -> (@convention(c) (Int32) -> Void)? { action.__sa_handler.sa_handler }
private func setHandler(of action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
    action.__sa_handler.sa_handler = handler
}
#elseif canImport(Darwin)
private func handler(of action: sigaction) -> (@convention(c) (Int32) -> Void)? { action.__sigaction_u.__sa_handler }
private func setHandler(of action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
    action.__sigaction_u.__sa_handler = handler
}
#endif
